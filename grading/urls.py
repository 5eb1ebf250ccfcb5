from django.urls import path

from .views import assignments as views

app_name = "grading"

urlpatterns = [
    path("assignments/courses/<int:course_id>/", views.course_assignments, name="course"),
    path("assignments/courses/<int:course_id>/new/", views.assignment_new, name="new"),
    path("assignments/<int:pk>/", views.assignment_page, name="assignment"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="edit"),
    path("assignments/<int:pk>/submit/", views.assignment_submit, name="submit"),
    path("assignments/<int:pk>/submissions/", views.submission_list, name="submissions"),
    path(
        "assignments/<int:pk>/extensions/<int:student_id>/",
        views.extension_grant,
        name="extension",
    ),
    path("assignments/<int:pk>/attempts/<int:attempt_id>/", views.receipt_page, name="receipt"),
    path(
        "assignments/<int:pk>/students/<int:student_id>/",
        views.student_attempts,
        name="student_attempts",
    ),
    path(
        "assignments/<int:pk>/attempts/<int:attempt_id>/files/<int:file_id>/",
        views.file_download,
        name="file_download",
    ),
    path("assignments/<int:pk>/archives/", views.archive_start, name="archive_start"),
    path(
        "assignments/<int:pk>/archives/<int:archive_id>/download/",
        views.archive_download,
        name="archive_download",
    ),
]
