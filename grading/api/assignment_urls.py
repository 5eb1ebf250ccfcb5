from django.urls import path

from . import assignment_views as v

urlpatterns = [
    path(
        "courses/<int:course_id>/assignments/",
        v.CourseAssignments.as_view(),
        name="api-course-assignments",
    ),
    path("assignments/due-soon/", v.DueSoon.as_view(), name="api-assignments-due-soon"),
    path("assignments/<int:pk>/", v.AssignmentDetail.as_view(), name="api-assignment"),
    path(
        "assignments/<int:pk>/publish/",
        v.AssignmentPublish.as_view(),
        name="api-assignment-publish",
    ),
    path(
        "assignments/<int:pk>/unpublish/",
        v.AssignmentUnpublish.as_view(),
        name="api-assignment-unpublish",
    ),
    path(
        "assignments/<int:pk>/submissions/",
        v.SubmissionRoster.as_view(),
        name="api-assignment-submissions",
    ),
    path(
        "assignments/<int:pk>/students/<int:student_id>/attempts/",
        v.StudentAttempts.as_view(),
        name="api-assignment-student-attempts",
    ),
    path(
        "assignments/<int:pk>/extensions/<int:student_id>/",
        v.ExtensionDetail.as_view(),
        name="api-assignment-extension",
    ),
    path("assignments/<int:pk>/draft/", v.DraftDetail.as_view(), name="api-assignment-draft"),
    path("assignments/<int:pk>/submit/", v.Submit.as_view(), name="api-assignment-submit"),
    path("assignments/<int:pk>/attempts/", v.MyAttempts.as_view(), name="api-assignment-attempts"),
    path(
        "assignments/<int:pk>/attempts/<int:attempt_id>/",
        v.AttemptDetail.as_view(),
        name="api-assignment-attempt",
    ),
    path(
        "assignments/<int:pk>/archives/", v.ArchiveCreate.as_view(), name="api-assignment-archives"
    ),
    path(
        "assignments/<int:pk>/archives/<int:archive_id>/",
        v.ArchiveDetail.as_view(),
        name="api-assignment-archive",
    ),
    path(
        "assignments/<int:pk>/upload-slots/",
        v.UploadSlot.as_view(),
        name="api-assignment-upload-slot",
    ),
    path(
        "assignments/<int:pk>/attempts/<int:attempt_id>/files/<int:file_id>/download/",
        v.FileDownload.as_view(),
        name="api-assignment-file-download",
    ),
]
