from django.urls import include, path

# Assignments and submissions; the gradebook adds its own include beside this one.
urlpatterns = [path("", include("grading.api.assignment_urls"))]
