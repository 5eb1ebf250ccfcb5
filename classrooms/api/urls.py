from django.urls import path

from . import views

urlpatterns = [
    path("live-series/", views.SeriesListCreate.as_view(), name="api-live-series"),
    path("live-series/<id:pk>/", views.SeriesDetail.as_view(), name="api-live-series-detail"),
    path("live-sessions/", views.SessionListCreate.as_view(), name="api-live-sessions"),
    path("live-sessions/<id:pk>/", views.SessionDetail.as_view(), name="api-live-session-detail"),
    path("live-sessions/<id:pk>/join/", views.SessionJoin.as_view(), name="api-live-session-join"),
    path(
        "live-sessions/<id:pk>/start/", views.SessionStart.as_view(), name="api-live-session-start"
    ),
    path("live-sessions/<id:pk>/end/", views.SessionEnd.as_view(), name="api-live-session-end"),
    path(
        "live-sessions/<id:pk>/cancel/",
        views.SessionCancel.as_view(),
        name="api-live-session-cancel",
    ),
    path("live-sessions/<id:pk>/move/", views.SessionMove.as_view(), name="api-live-session-move"),
    path("calendar-feed/", views.CalendarFeedView.as_view(), name="api-calendar-feed"),
    path(
        "calendar-feed/rotate/",
        views.CalendarFeedRotate.as_view(),
        name="api-calendar-feed-rotate",
    ),
    path("live-reminders/", views.ReminderPreferenceView.as_view(), name="api-live-reminders"),
]
