from django.urls import path

from . import assignment_views as v

urlpatterns = [
    path(
        "courses/<id:course_id>/assignments/",
        v.CourseAssignments.as_view(),
        name="api-course-assignments",
    ),
    path("assignments/due-soon/", v.DueSoon.as_view(), name="api-assignments-due-soon"),
    path("assignments/<id:pk>/", v.AssignmentDetail.as_view(), name="api-assignment"),
    path(
        "assignments/<id:pk>/publish/",
        v.AssignmentPublish.as_view(),
        name="api-assignment-publish",
    ),
    path(
        "assignments/<id:pk>/unpublish/",
        v.AssignmentUnpublish.as_view(),
        name="api-assignment-unpublish",
    ),
    path(
        "assignments/<id:pk>/submissions/",
        v.SubmissionRoster.as_view(),
        name="api-assignment-submissions",
    ),
    path(
        "assignments/<id:pk>/students/<id:student_id>/attempts/",
        v.StudentAttempts.as_view(),
        name="api-assignment-student-attempts",
    ),
    path(
        "assignments/<id:pk>/extensions/<id:student_id>/",
        v.ExtensionDetail.as_view(),
        name="api-assignment-extension",
    ),
    path("assignments/<id:pk>/draft/", v.DraftDetail.as_view(), name="api-assignment-draft"),
    path("assignments/<id:pk>/submit/", v.Submit.as_view(), name="api-assignment-submit"),
    path("assignments/<id:pk>/attempts/", v.MyAttempts.as_view(), name="api-assignment-attempts"),
    path(
        "assignments/<id:pk>/attempts/<id:attempt_id>/",
        v.AttemptDetail.as_view(),
        name="api-assignment-attempt",
    ),
    path(
        "assignments/<id:pk>/archives/", v.ArchiveCreate.as_view(), name="api-assignment-archives"
    ),
    path(
        "assignments/<id:pk>/archives/<id:archive_id>/",
        v.ArchiveDetail.as_view(),
        name="api-assignment-archive",
    ),
    path(
        "assignments/<id:pk>/upload-slots/",
        v.UploadSlot.as_view(),
        name="api-assignment-upload-slot",
    ),
    path(
        "assignments/<id:pk>/attempts/<id:attempt_id>/files/<id:file_id>/download/",
        v.FileDownload.as_view(),
        name="api-assignment-file-download",
    ),
]
