from django.urls import path

from . import views

urlpatterns = [
    path("files/", views.FileListCreate.as_view(), name="api-files"),
    path("files/<int:pk>/", views.FileDetail.as_view(), name="api-file-detail"),
    path("files/<int:pk>/complete/", views.FileComplete.as_view(), name="api-file-complete"),
    path("files/<int:pk>/parts/", views.FileParts.as_view(), name="api-file-parts"),
    path("files/<int:pk>/abort/", views.FileAbort.as_view(), name="api-file-abort"),
    path("files/<int:pk>/download/", views.FileDownload.as_view(), name="api-file-download"),
]
