from django.urls import path

from .views import grades as views

urlpatterns = [
    path("grading/assignments/<id:assignment_id>/", views.grader_start, name="grader-start"),
    path(
        "grading/assignments/<id:assignment_id>/students/<id:student_id>/",
        views.grader,
        name="grader",
    ),
    path(
        "grading/assignments/<id:assignment_id>/release/",
        views.assignment_release_page,
        name="release",
    ),
    path("grading/courses/<id:course_id>/gradebook/", views.gradebook, name="gradebook"),
    path(
        "grading/courses/<id:course_id>/gradebook/export/",
        views.gradebook_export,
        name="gradebook-export",
    ),
    path(
        "grading/courses/<id:course_id>/gradebook/import/",
        views.gradebook_import,
        name="gradebook-import",
    ),
    path("grading/courses/<id:course_id>/my-grades/", views.my_grades, name="my-grades"),
    path("grading/grades/<id:grade_id>/regrade/", views.regrade_request, name="regrade"),
]
