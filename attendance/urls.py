from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("attendance/", views.index, name="index"),
    path("attendance/me/", views.my_history, name="me"),
    path("attendance/lessons/<int:pk>/", views.lesson, name="lesson"),
    path("attendance/lessons/<int:pk>/live/", views.live_panel, name="live"),
    path("attendance/lessons/<int:pk>/roster/", views.roster_partial, name="roster"),
    path("attendance/lessons/<int:pk>/check/", views.check_ask, name="check"),
    path("attendance/lessons/<int:pk>/prompt/", views.prompt_partial, name="prompt"),
    path("attendance/prompts/<int:pk>/answer/", views.prompt_answer, name="answer"),
    path("attendance/marks/<int:pk>/", views.mark, name="mark"),
    path("attendance/disputes/", views.disputes, name="disputes"),
    path("attendance/disputes/<int:pk>/resolve/", views.dispute_resolve, name="resolve"),
    path("attendance/courses/<int:pk>/", views.course, name="course"),
    path("attendance/courses/<int:pk>/rules/", views.policy, name="policy"),
    path("attendance/courses/<int:pk>/students/<int:user_id>/", views.student, name="student"),
    path("attendance/schools/<slug:slug>/", views.school, name="school"),
    path("attendance/unmatched/", views.unmatched, name="unmatched"),
]
