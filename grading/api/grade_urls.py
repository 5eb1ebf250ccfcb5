from django.urls import path

from . import grade_views as v

urlpatterns = [
    path("courses/<int:course_id>/rubrics/", v.RubricListCreate.as_view(), name="api-rubrics"),
    path("courses/<int:course_id>/rubrics/<int:pk>/", v.RubricDetail.as_view(), name="api-rubric"),
    path("courses/<int:course_id>/gradebook/", v.GradebookView.as_view(), name="api-gradebook"),
    path(
        "courses/<int:course_id>/gradebook/settings/",
        v.GradebookSettingsView.as_view(),
        name="api-gradebook-settings",
    ),
    path(
        "courses/<int:course_id>/gradebook/export/",
        v.GradebookExport.as_view(),
        name="api-gradebook-export",
    ),
    path(
        "courses/<int:course_id>/gradebook/import/preview/",
        v.GradebookImportPreview.as_view(),
        name="api-gradebook-import-preview",
    ),
    path(
        "courses/<int:course_id>/gradebook/import/apply/",
        v.GradebookImportApply.as_view(),
        name="api-gradebook-import-apply",
    ),
    path(
        "courses/<int:course_id>/grades/mine/",
        v.MyCourseGrades.as_view(),
        name="api-my-course-grades",
    ),
    path(
        "courses/<int:course_id>/regrade-requests/",
        v.RegradeList.as_view(),
        name="api-regrade-requests",
    ),
    path(
        "courses/<int:course_id>/regrade-requests/<int:pk>/answer/",
        v.RegradeAnswer.as_view(),
        name="api-regrade-answer",
    ),
    path(
        "assignments/<int:assignment_id>/grading/",
        v.GradingOptions.as_view(),
        name="api-grading-options",
    ),
    path(
        "assignments/<int:assignment_id>/grades/",
        v.GradingQueue.as_view(),
        name="api-grading-queue",
    ),
    path(
        "assignments/<int:assignment_id>/grades/<int:student_id>/",
        v.GradeDetail.as_view(),
        name="api-grade",
    ),
    path(
        "assignments/<int:assignment_id>/grades/<int:student_id>/release/",
        v.GradeRelease.as_view(),
        name="api-grade-release",
    ),
    path(
        "assignments/<int:assignment_id>/release/",
        v.AssignmentRelease.as_view(),
        name="api-assignment-release",
    ),
    path("me/grades/", v.MyGrades.as_view(), name="api-my-grades"),
    path("grades/<int:grade_id>/regrade/", v.RegradeCreate.as_view(), name="api-regrade-create"),
    path(
        "grades/<int:grade_id>/feedback/<int:file_id>/download/",
        v.FeedbackFileDownload.as_view(),
        name="api-feedback-download",
    ),
]
