from django.urls import path

from . import grade_views as v
from . import gradebook_views as book
from . import rubric_views as rubrics

urlpatterns = [
    path("courses/<id:course_id>/rubrics/", rubrics.RubricListCreate.as_view(), name="api-rubrics"),
    path(
        "courses/<id:course_id>/rubrics/<id:pk>/",
        rubrics.RubricDetail.as_view(),
        name="api-rubric",
    ),
    path("courses/<id:course_id>/gradebook/", book.GradebookView.as_view(), name="api-gradebook"),
    path(
        "courses/<id:course_id>/gradebook/settings/",
        book.GradebookSettingsView.as_view(),
        name="api-gradebook-settings",
    ),
    path(
        "courses/<id:course_id>/gradebook/export/",
        book.GradebookExport.as_view(),
        name="api-gradebook-export",
    ),
    path(
        "courses/<id:course_id>/gradebook/import/preview/",
        book.GradebookImportPreview.as_view(),
        name="api-gradebook-import-preview",
    ),
    path(
        "courses/<id:course_id>/gradebook/import/apply/",
        book.GradebookImportApply.as_view(),
        name="api-gradebook-import-apply",
    ),
    path(
        "courses/<id:course_id>/grades/mine/",
        v.MyCourseGrades.as_view(),
        name="api-my-course-grades",
    ),
    path(
        "courses/<id:course_id>/regrade-requests/",
        v.RegradeList.as_view(),
        name="api-regrade-requests",
    ),
    path(
        "courses/<id:course_id>/regrade-requests/<id:pk>/answer/",
        v.RegradeAnswer.as_view(),
        name="api-regrade-answer",
    ),
    path(
        "assignments/<id:assignment_id>/grading/",
        rubrics.GradingOptions.as_view(),
        name="api-grading-options",
    ),
    path(
        "assignments/<id:assignment_id>/grades/",
        v.GradingQueue.as_view(),
        name="api-grading-queue",
    ),
    path(
        "assignments/<id:assignment_id>/grades/<id:student_id>/",
        v.GradeDetail.as_view(),
        name="api-grade",
    ),
    path(
        "assignments/<id:assignment_id>/grades/<id:student_id>/release/",
        v.GradeRelease.as_view(),
        name="api-grade-release",
    ),
    path(
        "assignments/<id:assignment_id>/release/",
        v.AssignmentRelease.as_view(),
        name="api-assignment-release",
    ),
    path("me/grades/", v.MyGrades.as_view(), name="api-my-grades"),
    path("grades/<id:grade_id>/regrade/", v.RegradeCreate.as_view(), name="api-regrade-create"),
    path(
        "grades/<id:grade_id>/feedback/<id:file_id>/download/",
        v.FeedbackFileDownload.as_view(),
        name="api-feedback-download",
    ),
]
