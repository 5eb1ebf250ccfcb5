from django.urls import path

from .. import webhooks
from . import views

urlpatterns = [
    path(
        "attendance/hooks/event-sync/events/<str:entity>/<str:action>",
        webhooks.event_sync_view,
        name="api-attendance-event-sync",
    ),
    path("attendance/hooks/jaas", webhooks.jaas_view, name="api-attendance-jaas"),
    path(
        "attendance/sessions/<int:pk>/presence/",
        views.ClientEvent.as_view(),
        name="api-attendance-presence",
    ),
    path(
        "attendance/sessions/<int:pk>/roster/",
        views.LiveRoster.as_view(),
        name="api-attendance-roster",
    ),
    path(
        "attendance/sessions/<int:pk>/checks/",
        views.CheckAsk.as_view(),
        name="api-attendance-check",
    ),
    path(
        "attendance/sessions/<int:pk>/prompt/",
        views.PendingPrompt.as_view(),
        name="api-attendance-prompt",
    ),
    path(
        "attendance/prompts/<int:pk>/answer/",
        views.PromptAnswer.as_view(),
        name="api-attendance-prompt-answer",
    ),
    path(
        "attendance/sessions/<int:pk>/marks/",
        views.LessonReport.as_view(),
        name="api-attendance-lesson",
    ),
    path(
        "attendance/sessions/<int:pk>/compute/",
        views.LessonCompute.as_view(),
        name="api-attendance-compute",
    ),
    path("attendance/marks/<int:pk>/", views.MarkDetail.as_view(), name="api-attendance-mark"),
    path(
        "attendance/marks/<int:pk>/override/",
        views.MarkOverride.as_view(),
        name="api-attendance-override",
    ),
    path(
        "attendance/marks/<int:pk>/disputes/",
        views.DisputeCreate.as_view(),
        name="api-attendance-dispute-create",
    ),
    path("attendance/disputes/", views.DisputeList.as_view(), name="api-attendance-disputes"),
    path(
        "attendance/disputes/<int:pk>/resolve/",
        views.DisputeResolve.as_view(),
        name="api-attendance-dispute-resolve",
    ),
    path(
        "attendance/courses/<int:pk>/matrix/",
        views.CourseMatrix.as_view(),
        name="api-attendance-matrix",
    ),
    path(
        "attendance/courses/<int:pk>/students/<int:user_id>/",
        views.StudentHistory.as_view(),
        name="api-attendance-student",
    ),
    path(
        "attendance/courses/<int:pk>/policy/",
        views.Policy.as_view(),
        name="api-attendance-policy",
    ),
    path("attendance/me/", views.MyHistory.as_view(), name="api-attendance-me"),
    path(
        "attendance/schools/<slug:slug>/",
        views.SchoolReport.as_view(),
        name="api-attendance-school",
    ),
    path("attendance/unmatched/", views.Unmatched.as_view(), name="api-attendance-unmatched"),
]
