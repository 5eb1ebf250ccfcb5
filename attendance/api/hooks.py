"""The video server's webhooks: its presence events are the busiest requests of a school, so
lms/urls.py matches these before any other URL (resolving one through every pattern of the
project cost about a tenth of an event's time in the web worker)."""

from django.urls import path

from .. import webhooks

urlpatterns = [
    path(
        "attendance/hooks/event-sync/events/<str:entity>/<str:action>",
        webhooks.event_sync_view,
        name="api-attendance-event-sync",
    ),
    path("attendance/hooks/jaas", webhooks.jaas_view, name="api-attendance-jaas"),
]
