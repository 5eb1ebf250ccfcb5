from django.urls import path

from . import views

urlpatterns = [
    path("courses/mine/", views.my_courses, name="my_courses"),
    path("courses/<id:course_id>/progress/", views.course_progress, name="course_progress"),
    path("lessons/<id:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<id:lesson_id>/undo/", views.lesson_undo, name="lesson_undo"),
]
