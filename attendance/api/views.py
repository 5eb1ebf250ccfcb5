"""The attendance API: thin views over attendance.services and attendance.selectors.

Reports answer JSON, or a file with `?export=csv` / `?export=xlsx` (`&sep=semicolon` for Excel
in Vietnamese settings). Every response has a serializer, so the schema describes it.
"""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from lms.errors import NotFound
from lms.memory import collector_paused

from .. import conf, exports, permissions, selectors, services
from . import serializers as s
from .matrix_json import matrix_json

EXPORT = OpenApiParameter(
    "export", str, enum=list(exports.FORMATS), description="Download as a CSV or XLSX file."
)
SEPARATOR = OpenApiParameter(
    "sep",
    str,
    enum=list(exports.SEPARATORS),
    description="CSV only: `semicolon` for spreadsheets set up for Vietnamese (decimal comma).",
)
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The CSV or XLSX file, with ?export.")


def _export(request):
    fmt = request.query_params.get("export")
    if fmt in (None, ""):
        return None
    if fmt not in exports.FORMATS:
        raise ValidationError({"export": ["Use csv or xlsx."]})
    return fmt


def _file(request, fmt, tables, filename):
    return exports.render(
        fmt,
        tables,
        filename=filename,
        separator=request.query_params.get("sep"),
        table=request.query_params.get("table"),
    )


class ClientEventThrottle(SimpleRateThrottle):
    """The live page's reports, per person: heartbeats every half minute leave ample room."""

    scope = "attendance_client"

    def get_rate(self):
        return f"{conf.client_events_per_minute()}/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ClientEvent(APIView):
    """The live page reports you joined, left, or are still in the lesson (client evidence),
    with or without the video room."""

    throttle_classes = [ClientEventThrottle]

    @extend_schema(request=s.ClientEventSerializer, responses={201: s.ClientEventOutSerializer})
    def post(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        body = s.ClientEventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.client_event_record(
            session=session,
            by=request.user,
            kind=body.validated_data["kind"],
            connection_id=body.validated_data["connection"],
            for_user=body.validated_data.get("user"),
            video=body.validated_data.get("video"),
            fingerprint=services.client_fingerprint(
                ip=request.META.get("REMOTE_ADDR", ""),
                user_agent=request.headers.get("User-Agent", ""),
            ),
        )
        return Response(s.ClientEventOutSerializer(event).data, status=status.HTTP_201_CREATED)


class LiveRoster(APIView):
    """Who is in the room now, who is here without video, who has not come (course staff)."""

    @extend_schema(responses=s.LiveRosterSerializer)
    def get(self, request, pk: int):
        session, _role = permissions.session_staff_access(request.user, pk)
        roster = selectors.live_roster(session)
        return Response(s.LiveRosterSerializer({**roster, "session": session.pk}).data)


class CheckAsk(APIView):
    """Ask everyone in the room to confirm they are there (teachers, assistants)."""

    @extend_schema(request=None, responses={201: s.CheckAskOutSerializer})
    def post(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        check = services.presence_check_ask(session=session, by=request.user)
        return Response(s.CheckAskOutSerializer(check).data, status=status.HTTP_201_CREATED)


class PendingPrompt(APIView):
    """Your open presence-check prompt in this lesson, or null."""

    @extend_schema(responses=s.PromptEnvelopeSerializer)
    def get(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        prompt = selectors.pending_prompt(session, request.user)
        return Response(s.PromptEnvelopeSerializer({"prompt": prompt}).data)


class PromptAnswer(APIView):
    """ "I am here": answer your prompt before its deadline."""

    @extend_schema(request=None, responses=s.PromptEnvelopeSerializer)
    def post(self, request, pk: int):
        prompt = selectors.prompt_for(request.user, pk)
        prompt = services.presence_prompt_answer(prompt=prompt, by=request.user)
        return Response(s.PromptEnvelopeSerializer({"prompt": prompt}).data)


class LessonReport(APIView):
    """A lesson's roster with marks and evidence. A student sees only their own row."""

    @extend_schema(parameters=[EXPORT, SEPARATOR], responses={200: s.LessonReportSerializer})
    def get(self, request, pk: int):
        session, role = permissions.session_access(request.user, pk)
        rows = selectors.lesson_report(session, user=request.user, role=role)
        fmt = _export(request)
        if fmt:
            tables = exports.lesson_tables(session, rows)
            return _file(request, fmt, tables, f"attendance-lesson-{session.pk}")
        rows = [{**vars(r), "user": r.user} for r in rows]
        return Response(s.LessonReportSerializer({"session": session, "rows": rows}).data)


class LessonCompute(APIView):
    """Compute the marks now (course staff, the school's administrators); final once the
    lesson is over."""

    @extend_schema(request=None, responses=s.ComputeOutSerializer)
    def post(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        final = services.session_is_over(session, timezone.now())
        marks = services.marks_compute(session=session, final=final, by=request.user)
        return Response({"marks": len(marks), "final": final})


class RegisterConfirm(APIView):
    """The teacher has reviewed the lesson's marks: absence alerts go out now instead of at
    the end of the review period."""

    @extend_schema(request=None, responses=s.RegisterSerializer)
    def post(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        register = services.register_confirm(session=session, by=request.user)
        return Response(s.RegisterSerializer(register).data)


class _WithEvidence:
    """A mark with its evidence lists beside it (the mark's own related managers stay)."""

    def __init__(self, mark, evidence: dict):
        self._mark = mark
        self.__dict__.update(evidence)

    def __getattr__(self, name):
        return getattr(self._mark, name)


class MarkDetail(APIView):
    @extend_schema(responses=s.MarkDetailSerializer)
    def get(self, request, pk: int):
        mark, _role = selectors.mark_for(request.user, pk)
        detail = _WithEvidence(mark, selectors.mark_evidence(mark))
        return Response(s.MarkDetailSerializer(detail).data)


class MarkOverride(APIView):
    """Set a mark (teachers, the school's administrators) with a reason; all is kept."""

    @extend_schema(request=s.OverrideSerializer, responses=s.MarkSerializer)
    def post(self, request, pk: int):
        mark, _role = selectors.mark_for(request.user, pk)
        body = s.OverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mark = services.attendance_override(mark=mark, by=request.user, **body.validated_data)
        return Response(s.MarkSerializer(mark).data)


class DisputeCreate(APIView):
    """Dispute your own mark with a message (once per mark)."""

    @extend_schema(request=s.DisputeCreateSerializer, responses={201: s.DisputeSerializer})
    def post(self, request, pk: int):
        mark, _role = selectors.mark_for(request.user, pk)
        body = s.DisputeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = services.dispute_open(mark=mark, by=request.user, **body.validated_data)
        return Response(s.DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


class DisputeList(ListAPIView):
    """Open disputes you may answer."""

    serializer_class = s.DisputeSerializer

    def get_queryset(self):
        return selectors.open_disputes_for(self.request.user)


class DisputeResolve(APIView):
    @extend_schema(request=s.DisputeResolveSerializer, responses=s.DisputeSerializer)
    def post(self, request, pk: int):
        dispute, _role = selectors.dispute_for(request.user, pk)
        body = s.DisputeResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = services.dispute_resolve(dispute=dispute, by=request.user, **body.validated_data)
        return Response(s.DisputeSerializer(dispute).data)


class CourseMatrix(APIView):
    """Students x lessons with marks and rates (course staff, the school's administrators)."""

    @extend_schema(parameters=[EXPORT, SEPARATOR], responses={200: s.MatrixSerializer})
    def get(self, request, pk: int):
        course, _role = selectors.course_for_reader(request.user, pk)
        fmt = _export(request)
        if fmt:
            tables = exports.matrix_tables(selectors.course_matrix(course))
            return _file(request, fmt, tables, f"attendance-course-{course.pk}")
        with collector_paused():
            matrix = selectors.course_matrix(course)
            body = matrix_json(course.pk, matrix)
            # Freed while the collector is paused, so it never walks the 10,500 cells.
            del matrix
        return HttpResponse(body, content_type="application/json")


def _history_response(request, history, filename):
    fmt = _export(request)
    if fmt:
        return _file(request, fmt, exports.history_tables(history), filename)
    return Response(s.HistorySerializer({**history, "rate": s.rate(history["rate"])}).data)


class StudentHistory(APIView):
    """One student's marks in a course: staff and admins, or the student themself."""

    @extend_schema(parameters=[EXPORT, SEPARATOR], responses={200: s.HistorySerializer})
    def get(self, request, pk: int, user_id: int):
        course, role = selectors.course_for_member(request.user, pk)
        if not permissions.may_read_all(role) and user_id != request.user.pk:
            raise NotFound()
        student = selectors.course_student(course, user_id)
        history = selectors.student_history(user=student, course=course)
        return _history_response(request, history, f"attendance-{course.pk}-{student.pk}")


class MyHistory(APIView):
    """Your own marks in every course, with your rate."""

    @extend_schema(parameters=[EXPORT, SEPARATOR], responses={200: s.HistorySerializer})
    def get(self, request):
        history = selectors.student_history(user=request.user)
        return _history_response(request, history, "my-attendance")


class Policy(APIView):
    """A course's attendance rules (teachers and admins change them)."""

    @extend_schema(responses=s.PolicyOutSerializer)
    def get(self, request, pk: int):
        course, _role = selectors.course_for_reader(request.user, pk)
        return Response(s.PolicyOutSerializer(services.policy_for(course)).data)

    @extend_schema(request=s.PolicySerializer, responses=s.PolicyOutSerializer)
    def patch(self, request, pk: int):
        course, _role = selectors.course_for_reader(request.user, pk)
        body = s.PolicySerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        policy = services.policy_update(course=course, by=request.user, **body.validated_data)
        return Response(s.PolicyOutSerializer(policy).data)


class SchoolReport(APIView):
    """Rates by course and by week, and students under the threshold (the school's admins)."""

    @extend_schema(
        parameters=[
            EXPORT,
            SEPARATOR,
            OpenApiParameter("threshold", int, description="Percent; default 80."),
            OpenApiParameter("weeks", int, description="Window for the threshold; default 4."),
        ],
        responses={200: s.SchoolReportSerializer},
    )
    def get(self, request, slug: str):
        school = selectors.school_for_admin(request.user, slug)
        try:
            threshold = int(request.query_params.get("threshold") or 0) or None
            weeks = int(request.query_params.get("weeks") or 0) or None
        except ValueError:
            raise ValidationError({"threshold": ["Give whole numbers."]}) from None
        if threshold is not None and not 1 <= threshold <= 100:
            raise ValidationError({"threshold": ["Between 1 and 100."]})
        if weeks is not None and not 1 <= weeks <= 52:
            raise ValidationError({"weeks": ["Between 1 and 52."]})
        report = selectors.school_report(school, threshold=threshold, weeks=weeks)
        fmt = _export(request)
        if fmt:
            return _file(request, fmt, exports.school_tables(report), f"attendance-{school.slug}")
        data = {
            "school": school.slug,
            "threshold": report["threshold"],
            "window_weeks": report["window_weeks"],
            "courses": [
                {
                    **r,
                    **{"id": r["course"]["pk"], "code": r["course"]["code"]},
                    "rate": s.rate(r["rate"]),
                }
                for r in report["courses"]
            ],
            "weeks": [
                {**r, "week": r["week"].date(), "rate": s.rate(r["rate"])} for r in report["weeks"]
            ],
            "under_threshold": [{**r, "rate": s.rate(r["rate"])} for r in report["under"]],
        }
        return Response(s.SchoolReportSerializer(data).data)


class Unmatched(ListAPIView):
    """Evidence for unknown rooms or people (platform staff; a school's admins for theirs)."""

    serializer_class = s.UnmatchedEventSerializer

    def get_queryset(self):
        return selectors.unmatched_events(self.request.user)
