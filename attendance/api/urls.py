from django.urls import path

from . import views

# The webhooks are in hooks.py, matched before every other URL (lms/urls.py).
urlpatterns = [
    path(
        "attendance/sessions/<id:pk>/presence/",
        views.ClientEvent.as_view(),
        name="api-attendance-presence",
    ),
    path(
        "attendance/sessions/<id:pk>/roster/",
        views.LiveRoster.as_view(),
        name="api-attendance-roster",
    ),
    path(
        "attendance/sessions/<id:pk>/checks/",
        views.CheckAsk.as_view(),
        name="api-attendance-check",
    ),
    path(
        "attendance/sessions/<id:pk>/prompt/",
        views.PendingPrompt.as_view(),
        name="api-attendance-prompt",
    ),
    path(
        "attendance/prompts/<id:pk>/answer/",
        views.PromptAnswer.as_view(),
        name="api-attendance-prompt-answer",
    ),
    path(
        "attendance/sessions/<id:pk>/marks/",
        views.LessonReport.as_view(),
        name="api-attendance-lesson",
    ),
    path(
        "attendance/sessions/<id:pk>/compute/",
        views.LessonCompute.as_view(),
        name="api-attendance-compute",
    ),
    path(
        "attendance/sessions/<id:pk>/register/confirm/",
        views.RegisterConfirm.as_view(),
        name="api-attendance-register-confirm",
    ),
    path("attendance/marks/<id:pk>/", views.MarkDetail.as_view(), name="api-attendance-mark"),
    path(
        "attendance/marks/<id:pk>/override/",
        views.MarkOverride.as_view(),
        name="api-attendance-override",
    ),
    path(
        "attendance/marks/<id:pk>/disputes/",
        views.DisputeCreate.as_view(),
        name="api-attendance-dispute-create",
    ),
    path("attendance/disputes/", views.DisputeList.as_view(), name="api-attendance-disputes"),
    path(
        "attendance/disputes/<id:pk>/resolve/",
        views.DisputeResolve.as_view(),
        name="api-attendance-dispute-resolve",
    ),
    path(
        "attendance/courses/<id:pk>/matrix/",
        views.CourseMatrix.as_view(),
        name="api-attendance-matrix",
    ),
    path(
        "attendance/courses/<id:pk>/students/<id:user_id>/",
        views.StudentHistory.as_view(),
        name="api-attendance-student",
    ),
    path(
        "attendance/courses/<id:pk>/policy/",
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
