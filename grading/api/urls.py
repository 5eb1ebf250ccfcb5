from django.urls import include, path

urlpatterns = [
    path("", include("grading.api.grade_urls")),
]
