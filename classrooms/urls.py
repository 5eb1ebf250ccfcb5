from django.urls import path

from . import views

app_name = "classrooms"

urlpatterns = [
    path("live/courses/<id:course_id>/", views.schedule, name="schedule"),
    path("live/courses/<id:course_id>/schedule/new/", views.schedule_new, name="schedule_new"),
    path("live/series/<id:pk>/edit/", views.series_edit, name="series_edit"),
    path("live/<id:pk>/", views.live, name="live"),
    path("live/<id:pk>/lesson.ics", views.lesson_ics, name="lesson_ics"),
    path("live/<id:pk>/move/", views.session_move, name="move"),
    path(
        "live/<id:pk>/<str:action>/",
        views.session_action,
        name="action",
    ),
    path("live/calendar/", views.calendar, name="calendar"),
    path("live/calendar/<str:key>.ics", views.feed, name="feed"),
]
