from django.urls import path

from . import views

# /courses/mine/ and /courses/<id>/learn/... belong to the course content app (cms).
urlpatterns = [
    path("courses/join/", views.join, name="course_join"),
    path("courses/<id:pk>/roster/", views.roster, name="course_roster"),
    path(
        "courses/<id:pk>/roster/<id:enrollment_id>/drop/",
        views.roster_drop,
        name="course_roster_drop",
    ),
    path(
        "courses/<id:pk>/roster/pending/<id:pending_id>/cancel/",
        views.pending_cancel,
        name="course_pending_cancel",
    ),
    path("courses/<id:pk>/roster/import/", views.roster_import, name="course_roster_import"),
    path(
        "courses/<id:pk>/roster/import/<id:import_id>/apply/",
        views.roster_import_apply,
        name="course_roster_import_apply",
    ),
    path("courses/<id:pk>/roster/export.csv", views.roster_export, name="course_roster_export"),
    path("courses/<id:pk>/join-code/", views.join_code, name="course_join_code"),
    path("schools/<slug:slug>/courses/", views.school_courses, name="school_courses"),
    path("schools/<slug:slug>/courses/new/", views.course_create, name="school_course_create"),
    path(
        "schools/<slug:slug>/courses/<id:pk>/edit/",
        views.course_edit,
        name="school_course_edit",
    ),
    path(
        "schools/<slug:slug>/courses/<id:pk>/archive/",
        views.course_archive,
        name="school_course_archive",
    ),
]
