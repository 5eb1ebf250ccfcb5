"""The owner's file API: thin views over media.services and media.selectors.

Grading and other apps expose their own slot and download endpoints, with their limits and
permission checks, calling the same services.
"""

from django.http import HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import conf, selectors, services
from ..models import StoredFile
from . import serializers as s

ERROR = OpenApiResponse(description='{"detail", "code", "fields"}')


class FileListCreate(generics.ListAPIView):
    """Your files, newest first. POST asks for an upload slot for a new file."""

    serializer_class = s.StoredFileSerializer

    def get_queryset(self):
        return selectors.files_of(self.request.user)

    @extend_schema(
        request=s.SlotRequestSerializer,
        responses={201: s.SlotSerializer, 400: ERROR, 404: ERROR},
        description=(
            "Reserves a file and returns where to upload it: `post` (send `fields` then the "
            "file as a form to `url`) or `multipart` (PUT each part's bytes to its URL). Then "
            "call complete."
        ),
    )
    def post(self, request):
        data = s.SlotRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        school = services.school_for_upload(by=request.user, school_slug=values.get("school"))
        slot = services.upload_slot_create(
            by=request.user,
            school=school,
            purpose=values["purpose"],
            name=values["name"],
            size=values["size"],
            content_type=values["content_type"],
        )
        return Response(slot, status=status.HTTP_201_CREATED)


class FileDetail(APIView):
    serializer_class = s.StoredFileSerializer

    @extend_schema(responses={200: s.StoredFileSerializer, 404: ERROR})
    def get(self, request, pk: int):
        file = selectors.file_of_owner(request.user, pk)
        return Response(s.StoredFileSerializer(file).data)


class FileComplete(APIView):
    @extend_schema(
        request=None,
        responses={200: s.StoredFileSerializer, 400: ERROR, 404: ERROR},
        description=(
            "Checks the uploaded bytes (size, type sniffed from the content, SHA-256). A "
            "rejected file answers 400 with the reason; an unfinished upload answers 400 with "
            "code `incomplete` and stays open for resuming."
        ),
    )
    def post(self, request, pk: int):
        file = services.upload_complete(by=request.user, file_id=pk)
        body = s.StoredFileSerializer(file).data
        if file.state == StoredFile.State.REJECTED:
            return Response(
                {
                    "detail": body["reason_message"],
                    "code": f"rejected_{file.reason}",
                    "fields": {},
                    "file": body,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(body)


class FileParts(APIView):
    @extend_schema(
        responses={200: s.PartsSerializer, 404: ERROR, 409: ERROR},
        description="For resuming: the parts storage holds and fresh URLs for the missing ones.",
    )
    def get(self, request, pk: int):
        return Response(services.upload_parts(by=request.user, file_id=pk))


class FileAbort(APIView):
    @extend_schema(request=None, responses={204: None, 404: ERROR, 409: ERROR})
    def post(self, request, pk: int):
        services.upload_abort(by=request.user, file_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FileDownload(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "redirect",
                OpenApiTypes.BOOL,
                description="false: answer JSON with the link instead of redirecting to it.",
            )
        ],
        responses={200: s.DownloadSerializer, 302: None, 404: ERROR, 409: ERROR},
    )
    def get(self, request, pk: int):
        file = selectors.file_of_owner(request.user, pk)
        url = services.download_url(file=file)
        if request.query_params.get("redirect", "").lower() in {"0", "false", "no"}:
            return Response({"url": url, "expires_in": conf.download_ttl_seconds()})
        return HttpResponseRedirect(url)
