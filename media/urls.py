from django.urls import path

from . import views

urlpatterns = [
    path("files/", views.my_files, name="media-files"),
    path("files/<id:pk>/download/", views.my_file_download, name="media-file-download"),
    path("files/local/upload/<str:token>/", views.local_post, name="media-local-post"),
    path("files/local/part/<str:token>/", views.local_part, name="media-local-part"),
    path("files/local/download/<str:token>/", views.local_download, name="media-local-download"),
]
