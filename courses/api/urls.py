from django.urls import path

from . import views

urlpatterns = [
    path("courses/", views.CourseList.as_view(), name="api-courses"),
    path("courses/join/", views.JoinByCode.as_view(), name="api-course-join"),
    path("courses/<id:pk>/", views.CourseDetail.as_view(), name="api-course"),
    path("courses/<id:pk>/archive/", views.CourseArchive.as_view(), name="api-course-archive"),
    path(
        "courses/<id:pk>/enrollments/",
        views.EnrollmentListCreate.as_view(),
        name="api-course-enrollments",
    ),
    path(
        "courses/<id:pk>/enrollments/<id:enrollment_id>/drop/",
        views.EnrollmentDrop.as_view(),
        name="api-enrollment-drop",
    ),
    path(
        "courses/<id:pk>/pending-enrollments/",
        views.PendingEnrollmentList.as_view(),
        name="api-course-pending",
    ),
    path("courses/<id:pk>/join-code/", views.JoinCodeView.as_view(), name="api-join-code"),
    path(
        "courses/<id:pk>/join-code/rotate/",
        views.JoinCodeRotate.as_view(),
        name="api-join-code-rotate",
    ),
    path(
        "courses/<id:pk>/roster/preview/",
        views.RosterPreview.as_view(),
        name="api-roster-preview",
    ),
    path("courses/<id:pk>/roster/import/", views.RosterApply.as_view(), name="api-roster-import"),
    path("courses/<id:pk>/roster/export/", views.RosterExport.as_view(), name="api-roster-export"),
    path(
        "schools/<slug:slug>/courses/",
        views.SchoolCourseListCreate.as_view(),
        name="api-school-courses",
    ),
]
