from django.urls import path

from . import views

urlpatterns = [
    path("files/", views.FileListCreate.as_view(), name="api-files"),
    path("files/<id:pk>/", views.FileDetail.as_view(), name="api-file-detail"),
    path("files/<id:pk>/complete/", views.FileComplete.as_view(), name="api-file-complete"),
    path("files/<id:pk>/parts/", views.FileParts.as_view(), name="api-file-parts"),
    path("files/<id:pk>/abort/", views.FileAbort.as_view(), name="api-file-abort"),
    path("files/<id:pk>/download/", views.FileDownload.as_view(), name="api-file-download"),
]
