"""Assignments and submissions API: thin views over grading.services and grading.selectors.

Outside the course everything answers 404; inside it, a member lacking the capability gets 403.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.errors import ServiceError

from .. import permissions
from ..selectors import assignments as assignment_selectors
from ..selectors import submissions as submission_selectors
from ..services import archives as archive_services
from ..services import assignments as assignment_services
from ..services import submissions as submission_services
from . import assignment_serializers as s


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _valid(serializer_class, request, **kwargs):
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class CourseAssignments(generics.ListAPIView):
    """A course's assignments: all of them for staff (with how many handed in), the published
    ones with your own progress for students. POST (teachers, assistants) creates one."""

    serializer_class = s.AssignmentSerializer

    def get_queryset(self):
        course, role = assignment_selectors.course_for(self.request.user, self.kwargs["course_id"])
        return assignment_selectors.assignments_of_course(self.request.user, course, role)

    @extend_schema(request=s.AssignmentWriteSerializer, responses={201: s.AssignmentSerializer})
    def post(self, request, course_id: int):
        course, role = assignment_selectors.course_for(request.user, course_id)
        _require(permissions.may_manage(role))
        values = _valid(s.AssignmentWriteSerializer, request)
        assignment = assignment_services.assignment_create(by=request.user, course=course, **values)
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class DueSoon(generics.ListAPIView):
    """Published work you still owe in the next 7 days, soonest first (your extensions count)."""

    serializer_class = s.AssignmentSerializer
    pagination_class = None

    def get_queryset(self):
        return assignment_selectors.assignments_due_soon(self.request.user)


class AssignmentDetail(APIView):
    @extend_schema(responses=s.AssignmentSerializer)
    def get(self, request, pk: int):
        assignment, _role = assignment_selectors.assignment_for(request.user, pk)
        return Response(s.AssignmentSerializer(assignment).data)

    @extend_schema(request=s.AssignmentWriteSerializer, responses=s.AssignmentSerializer)
    def patch(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_manage(role))
        values = _valid(s.AssignmentWriteSerializer, request, partial=True)
        values.pop("publish", None)
        assignment = assignment_services.assignment_update(
            by=request.user, assignment=assignment, **values
        )
        return Response(s.AssignmentSerializer(assignment).data)


class AssignmentPublish(APIView):
    @extend_schema(request=None, responses=s.AssignmentSerializer)
    def post(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_manage(role))
        assignment = assignment_services.assignment_publish(by=request.user, assignment=assignment)
        return Response(s.AssignmentSerializer(assignment).data)


class AssignmentUnpublish(APIView):
    @extend_schema(request=None, responses=s.AssignmentSerializer)
    def post(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_manage(role))
        assignment = assignment_services.assignment_unpublish(
            by=request.user, assignment=assignment
        )
        return Response(s.AssignmentSerializer(assignment).data)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=list(submission_selectors.STATUSES)),
        OpenApiParameter("sort", str, enum=list(submission_selectors.SORTS)),
        OpenApiParameter("q", str, description="Part of a name or e-mail address."),
    ]
)
class SubmissionRoster(generics.ListAPIView):
    """Every student of the course and where they are with this assignment (staff, admins).
    Names in Vietnamese order by default."""

    serializer_class = s.SubmissionRosterRowSerializer

    def get_queryset(self):
        assignment, role = assignment_selectors.assignment_for(self.request.user, self.kwargs["pk"])
        _require(permissions.may_read_all(role))
        params = self.request.query_params
        state = params.get("status") or None
        if state and state not in submission_selectors.STATUSES:
            raise ServiceError(
                _("Unknown status; use one of: %(names)s")
                % {"names": ", ".join(submission_selectors.STATUSES)},
                field="status",
            )
        sort = params.get("sort") or "name"
        if sort not in submission_selectors.SORTS:
            raise ServiceError(
                _("Unknown sort; use one of: %(names)s")
                % {"names": ", ".join(submission_selectors.SORTS)},
                field="sort",
            )
        return submission_selectors.submission_roster(
            assignment, status=state, sort=sort, query=params.get("q", "").strip()
        )


class StudentAttempts(generics.ListAPIView):
    """Every attempt one student handed in, newest first (staff, admins)."""

    serializer_class = s.AttemptSerializer

    def get_queryset(self):
        assignment, role = assignment_selectors.assignment_for(self.request.user, self.kwargs["pk"])
        _require(permissions.may_read_all(role))
        return submission_selectors.attempts_of(assignment, self.kwargs["student_id"])


class ExtensionDetail(APIView):
    """Grant (or replace) one student's own deadline; DELETE takes it back."""

    @extend_schema(request=s.ExtensionWriteSerializer, responses=s.ExtensionSerializer)
    def put(self, request, pk: int, student_id: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_manage(role))
        values = _valid(s.ExtensionWriteSerializer, request)
        extension = assignment_services.extension_grant(
            by=request.user, assignment=assignment, student_id=student_id, **values
        )
        return Response(s.ExtensionSerializer(extension).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int, student_id: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_manage(role))
        assignment_services.extension_revoke(
            by=request.user, assignment=assignment, student_id=student_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftDetail(APIView):
    """Your work in progress (students). PUT saves it; call it as you type."""

    @extend_schema(responses=s.DraftSerializer)
    def get(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_submit(role))
        draft = submission_selectors.draft_of(assignment, request.user)
        return Response(s.DraftSerializer(draft).data if draft else {"id": None, "text": ""})

    @extend_schema(request=s.DraftWriteSerializer, responses=s.DraftSerializer)
    def put(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_submit(role))
        values = _valid(s.DraftWriteSerializer, request)
        draft = submission_services.submission_draft_save(
            by=request.user,
            assignment=assignment,
            text=values.get("text"),
            file_ids=values.get("files"),
        )
        return Response(s.DraftSerializer(draft).data)


class Submit(APIView):
    """Hand in your draft (or the text sent) as the next attempt. 201 with the receipt; the same
    client key again answers 200 with the same receipt and makes no new attempt."""

    @extend_schema(request=s.SubmitSerializer, responses={201: s.ReceiptSerializer})
    def post(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_submit(role))
        values = _valid(s.SubmitSerializer, request)
        submission, created = submission_services.submission_submit(
            by=request.user,
            assignment=assignment,
            client_key=values["client_key"],
            text=values.get("text"),
            file_ids=values.get("files"),
        )
        receipt = submission_selectors.receipt_for(submission)
        return Response(
            s.ReceiptSerializer(receipt).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyAttempts(generics.ListAPIView):
    """The attempts you handed in, newest first."""

    serializer_class = s.AttemptSerializer

    def get_queryset(self):
        assignment, role = assignment_selectors.assignment_for(self.request.user, self.kwargs["pk"])
        _require(permissions.may_submit(role))
        return submission_selectors.attempts_of(assignment, self.request.user.pk)


class AttemptDetail(APIView):
    """The receipt of one attempt: yours, or any for the course's staff and admins."""

    @extend_schema(responses=s.ReceiptSerializer)
    def get(self, request, pk: int, attempt_id: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        submission = submission_selectors.submission_for(
            assignment, attempt_id, by=request.user, may_read_all=permissions.may_read_all(role)
        )
        return Response(s.ReceiptSerializer(submission_selectors.receipt_for(submission)).data)


class UploadSlot(APIView):
    """Ask where to upload one file for this assignment (students). Storage enforces the
    assignment's size limit and types; then complete it through `/files/{id}/complete/` and
    put its id in your draft or hand-in."""

    @extend_schema(request=s.UploadSlotRequestSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_submit(role))
        values = _valid(s.UploadSlotRequestSerializer, request)
        slot = submission_services.upload_slot_for(by=request.user, assignment=assignment, **values)
        return Response(slot, status=status.HTTP_201_CREATED)


class FileDownload(APIView):
    """A short-lived link to one handed-in file: the student's own, or any for the course's
    staff and administrators."""

    @extend_schema(responses=s.SubmittedFileDownloadSerializer)
    def get(self, request, pk: int, attempt_id: int, file_id: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        submission = submission_selectors.submission_for(
            assignment, attempt_id, by=request.user, may_read_all=permissions.may_read_all(role)
        )
        url = submission_services.submitted_file_url(submission=submission, file_id=file_id)
        return Response({"url": url})


class ArchiveCreate(APIView):
    """Start building a zip of every student's latest hand-in (staff, admins). 202; poll the
    archive for its progress and the download link."""

    @extend_schema(request=None, responses={202: s.SubmissionArchiveSerializer})
    def post(self, request, pk: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_read_all(role))
        archive = archive_services.archive_request(by=request.user, assignment=assignment)
        return Response(
            s.SubmissionArchiveSerializer(archive).data, status=status.HTTP_202_ACCEPTED
        )


class ArchiveDetail(APIView):
    @extend_schema(responses=s.SubmissionArchiveSerializer)
    def get(self, request, pk: int, archive_id: int):
        assignment, role = assignment_selectors.assignment_for(request.user, pk)
        _require(permissions.may_read_all(role))
        archive = archive_services.archive_for(
            by=request.user, assignment=assignment, pk=archive_id
        )
        return Response(s.SubmissionArchiveSerializer(archive).data)
