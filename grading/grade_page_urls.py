from django.urls import path

from .views import grades as views

urlpatterns = [
    path("grading/assignments/<int:assignment_id>/", views.grader_start, name="grader-start"),
    path(
        "grading/assignments/<int:assignment_id>/students/<int:student_id>/",
        views.grader,
        name="grader",
    ),
    path(
        "grading/assignments/<int:assignment_id>/release/",
        views.assignment_release_page,
        name="release",
    ),
    path("grading/courses/<int:course_id>/gradebook/", views.gradebook, name="gradebook"),
    path(
        "grading/courses/<int:course_id>/gradebook/export/",
        views.gradebook_export,
        name="gradebook-export",
    ),
    path(
        "grading/courses/<int:course_id>/gradebook/import/",
        views.gradebook_import,
        name="gradebook-import",
    ),
    path("grading/courses/<int:course_id>/my-grades/", views.my_grades, name="my-grades"),
    path("grading/grades/<int:grade_id>/regrade/", views.regrade_request, name="regrade"),
]
