from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("attendance/", views.index, name="index"),
    path("attendance/me/", views.my_history, name="me"),
    path("attendance/lessons/<id:pk>/", views.lesson, name="lesson"),
    path("attendance/lessons/<id:pk>/live/", views.live_panel, name="live"),
    path("attendance/lessons/<id:pk>/roster/", views.roster_partial, name="roster"),
    path("attendance/lessons/<id:pk>/check/", views.check_ask, name="check"),
    path("attendance/lessons/<id:pk>/prompt/", views.prompt_partial, name="prompt"),
    path("attendance/prompts/<id:pk>/answer/", views.prompt_answer, name="answer"),
    path("attendance/marks/<id:pk>/", views.mark, name="mark"),
    path("attendance/disputes/", views.disputes, name="disputes"),
    path("attendance/disputes/<id:pk>/resolve/", views.dispute_resolve, name="resolve"),
    path("attendance/courses/<id:pk>/", views.course, name="course"),
    path("attendance/courses/<id:pk>/rules/", views.policy, name="policy"),
    path("attendance/courses/<id:pk>/students/<id:user_id>/", views.student, name="student"),
    path("attendance/schools/<slug:slug>/", views.school, name="school"),
    path("attendance/unmatched/", views.unmatched, name="unmatched"),
]
