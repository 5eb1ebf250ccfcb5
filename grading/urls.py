from django.urls import path

from .views import assignments as views

app_name = "grading"

urlpatterns = [
    path("assignments/courses/<id:course_id>/", views.course_assignments, name="course"),
    path("assignments/courses/<id:course_id>/new/", views.assignment_new, name="new"),
    path("assignments/<id:pk>/", views.assignment_page, name="assignment"),
    path("assignments/<id:pk>/edit/", views.assignment_edit, name="edit"),
    path("assignments/<id:pk>/submit/", views.assignment_submit, name="submit"),
    path("assignments/<id:pk>/submissions/", views.submission_list, name="submissions"),
    path(
        "assignments/<id:pk>/extensions/<id:student_id>/",
        views.extension_grant,
        name="extension",
    ),
    path("assignments/<id:pk>/attempts/<id:attempt_id>/", views.receipt_page, name="receipt"),
    path(
        "assignments/<id:pk>/students/<id:student_id>/",
        views.student_attempts,
        name="student_attempts",
    ),
    path(
        "assignments/<id:pk>/attempts/<id:attempt_id>/files/<id:file_id>/",
        views.file_download,
        name="file_download",
    ),
    path("assignments/<id:pk>/archives/", views.archive_start, name="archive_start"),
    path(
        "assignments/<id:pk>/archives/<id:archive_id>/download/",
        views.archive_download,
        name="archive_download",
    ),
]

# Grading, gradebook and the student's grades.
urlpatterns += __import__("grading.grade_page_urls", fromlist=["urlpatterns"]).urlpatterns
