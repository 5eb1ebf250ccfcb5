from django.urls import path

from . import views

urlpatterns = [
    path(
        "courses/<id:course_id>/lessons/",
        views.CourseLessonList.as_view(),
        name="api-course-lessons",
    ),
    path(
        "courses/<id:course_id>/progress/",
        views.MyCourseProgress.as_view(),
        name="api-course-progress",
    ),
    path(
        "courses/<id:course_id>/progress/students/",
        views.StudentProgressList.as_view(),
        name="api-course-student-progress",
    ),
    path("lessons/<id:lesson_id>/", views.LessonDetail.as_view(), name="api-lesson"),
    path(
        "lessons/<id:lesson_id>/progress/",
        views.LessonProgressView.as_view(),
        name="api-lesson-progress",
    ),
]
