"""The attendance API: thin views over attendance.services and attendance.selectors.

Reports answer JSON, or a file with `?export=csv` / `?export=xlsx`.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from lms.errors import NotFound

from .. import conf, exports, permissions, selectors, services
from . import data
from . import serializers as s

EXPORT = OpenApiParameter(
    "export", str, enum=list(exports.FORMATS), description="Download as a CSV or XLSX file."
)


def _export(request):
    fmt = request.query_params.get("export")
    if fmt in (None, ""):
        return None
    if fmt not in exports.FORMATS:
        raise ValidationError({"export": ["Use csv or xlsx."]})
    return fmt


class ClientEventThrottle(SimpleRateThrottle):
    """The live page's reports, per person: heartbeats every half minute leave ample room."""

    scope = "attendance_client"

    def get_rate(self):
        return f"{conf.client_events_per_minute()}/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class ClientEvent(APIView):
    """The live page reports you joined, left, or are still in the room (client evidence)."""

    throttle_classes = [ClientEventThrottle]

    @extend_schema(request=s.ClientEventSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        session, role = permissions.session_access(request.user, pk)
        body = s.ClientEventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        event = services.client_event_record(
            session=session,
            user=request.user,
            role=role,
            kind=body.validated_data["kind"],
            connection_id=body.validated_data["connection"],
            for_user=body.validated_data.get("user"),
            fingerprint=services.client_fingerprint(
                ip=request.META.get("REMOTE_ADDR", ""),
                user_agent=request.headers.get("User-Agent", ""),
            ),
        )
        return Response(
            {"id": event.pk, "kind": event.kind, "at": event.occurred_at.isoformat()},
            status=status.HTTP_201_CREATED,
        )


class LiveRoster(APIView):
    """Who is in the room now, since when, and who has not come (course staff)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        session, _role = permissions.session_staff_access(request.user, pk)
        roster = selectors.live_roster(session)

        def row(r):
            return {
                "user": data.user_data(r.user),
                "in_now": r.in_now,
                "since": r.since.isoformat() if r.since else None,
                "first_join": r.first_join.isoformat() if r.first_join else None,
                "seconds": r.seconds,
                "checks_asked": r.prompts,
                "checks_answered": r.answered,
            }

        check = roster["check"]
        return Response(
            {
                "session": session.pk,
                "in_now": [row(r) for r in roster["in_now"]],
                "left": [row(r) for r in roster["left"]],
                "not_come": [row(r) for r in roster["not_come"]],
                "check": None
                if check is None
                else {
                    "id": check.pk,
                    "deadline_at": check.deadline_at.isoformat(),
                    "asked": check.asked,
                    "answered": check.answered,
                },
            }
        )


class CheckAsk(APIView):
    """Ask everyone in the room to confirm they are there (teachers, assistants)."""

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        session, role = permissions.session_access(request.user, pk)
        check = services.presence_check_ask(session=session, by=request.user, role=role)
        return Response(
            {
                "id": check.pk,
                "asked_at": check.asked_at.isoformat(),
                "deadline_at": check.deadline_at.isoformat(),
                "prompts": check.prompt_count,
            },
            status=status.HTTP_201_CREATED,
        )


class PendingPrompt(APIView):
    """Your open presence-check prompt in this lesson, or null."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        session, _role = permissions.session_access(request.user, pk)
        return Response(
            {"prompt": data.prompt_data(selectors.pending_prompt(session, request.user))}
        )


class PromptAnswer(APIView):
    """ "I am here": answer your prompt before its deadline."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        prompt = selectors.prompt_for(request.user, pk)
        prompt = services.presence_prompt_answer(prompt=prompt, user=request.user)
        return Response({"prompt": data.prompt_data(prompt)})


class LessonReport(APIView):
    """A lesson's roster with marks and evidence. A student sees only their own row."""

    @extend_schema(parameters=[EXPORT], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        session, role = permissions.session_access(request.user, pk)
        rows = selectors.lesson_report(session, user=request.user, role=role)
        fmt = _export(request)
        if fmt:
            headers, body = exports.lesson_table(session, rows)
            return exports.render(fmt, headers, body, filename=f"attendance-lesson-{session.pk}")
        return Response(
            {
                "session": {
                    "id": session.pk,
                    "title": session.display_title,
                    "starts_at": session.starts_at.isoformat(),
                    "ends_at": session.ends_at.isoformat(),
                    "status": session.status,
                },
                "rows": [
                    {
                        "user": data.user_data(r.user),
                        "mark": data.mark_data(r.mark) if r.mark else None,
                        "intervals": [data.interval_data(i) for i in r.intervals],
                        "open_dispute": r.open_dispute,
                    }
                    for r in rows
                ],
            }
        )


class LessonCompute(APIView):
    """Compute the marks now (course staff); final once the lesson is over."""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        session, role = permissions.session_access(request.user, pk)
        if not permissions.may_override(role) and not permissions.may_check(role):
            raise NotFound()
        final = services.session_is_over(session, timezone.now())
        marks = services.marks_compute(session=session, final=final)
        return Response({"marks": len(marks), "final": final})


class MarkDetail(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        mark, _role = selectors.mark_for(request.user, pk)
        evidence = selectors.mark_evidence(mark)
        return Response(
            {
                **data.mark_data(mark),
                "intervals": [data.interval_data(i) for i in evidence["intervals"]],
                "checks": [
                    {
                        "asked_at": p.check_run.asked_at.isoformat()
                        if p.check_run.asked_at
                        else None,
                        "deadline_at": p.deadline_at.isoformat(),
                        "answered_at": p.answered_at.isoformat() if p.answered_at else None,
                    }
                    for p in evidence["prompts"]
                ],
                "history": [data.change_data(c) for c in evidence["changes"]],
                "disputes": [data.dispute_data(d) for d in evidence["disputes"]],
            }
        )


class MarkOverride(APIView):
    """Set a mark (teachers, the school's administrators) with a reason; all is kept."""

    @extend_schema(request=s.OverrideSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        mark, role = selectors.mark_for(request.user, pk)
        body = s.OverrideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mark = services.attendance_override(
            mark=mark, by=request.user, role=role, **body.validated_data
        )
        return Response(data.mark_data(mark))


class DisputeCreate(APIView):
    """Dispute your own mark with a message."""

    @extend_schema(request=s.DisputeCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        mark, _role = selectors.mark_for(request.user, pk)
        body = s.DisputeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = services.dispute_open(mark=mark, user=request.user, **body.validated_data)
        return Response(data.dispute_data(dispute), status=status.HTTP_201_CREATED)


class DisputeList(GenericAPIView):
    """Open disputes you may answer."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        page = self.paginate_queryset(selectors.open_disputes_for(request.user))
        return self.get_paginated_response([data.dispute_data(d) for d in page])


class DisputeResolve(APIView):
    @extend_schema(request=s.DisputeResolveSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        dispute, role = selectors.dispute_for(request.user, pk)
        body = s.DisputeResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        dispute = services.dispute_resolve(
            dispute=dispute, by=request.user, role=role, **body.validated_data
        )
        return Response(data.dispute_data(dispute))


class CourseMatrix(APIView):
    """Students x lessons with marks and rates (course staff, the school's administrators)."""

    @extend_schema(parameters=[EXPORT], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        course, _role = selectors.course_for_reader(request.user, pk)
        matrix = selectors.course_matrix(course)
        fmt = _export(request)
        if fmt:
            headers, body = exports.matrix_table(matrix)
            return exports.render(fmt, headers, body, filename=f"attendance-course-{course.pk}")
        return Response(
            {
                "course": course.pk,
                "sessions": [
                    {"id": x.pk, "starts_at": x.starts_at.isoformat(), "rate": data.rate(r)}
                    for x, r in zip(matrix["sessions"], matrix["session_rates"], strict=True)
                ],
                "rows": [
                    {
                        "user": data.user_data(row["user"]),
                        "marks": [m.status if m else None for m in row["marks"]],
                        "rate": data.rate(row["rate"]),
                    }
                    for row in matrix["rows"]
                ],
            }
        )


def _history_response(request, history, filename):
    fmt = _export(request)
    if fmt:
        headers, body = exports.history_table(history)
        return exports.render(fmt, headers, body, filename=filename)
    return Response(
        {
            "student": data.user_data(history["student"]),
            "rate": data.rate(history["rate"]),
            "counted": history["counted"],
            "marks": [
                {**data.mark_data(m), "starts_at": m.session.starts_at.isoformat()}
                for m in history["marks"]
            ],
        }
    )


class StudentHistory(APIView):
    """One student's marks in a course: staff and admins, or the student themself."""

    @extend_schema(parameters=[EXPORT], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int, user_id: int):
        course, role = selectors.course_for_member(request.user, pk)
        if not permissions.may_read_all(role) and user_id != request.user.pk:
            raise NotFound()
        student = selectors.course_student(course, user_id)
        history = selectors.student_history(user=student, course=course)
        return _history_response(request, history, f"attendance-{course.pk}-{student.pk}")


class MyHistory(APIView):
    """Your own marks in every course, with your rate."""

    @extend_schema(parameters=[EXPORT], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        history = selectors.student_history(user=request.user)
        return _history_response(request, history, "my-attendance")


class Policy(APIView):
    """A course's attendance rules (teachers and admins change them)."""

    def _data(self, policy):
        return {
            "course": policy.course_id,
            **{name: getattr(policy, name) for name in s.PolicySerializer().fields},
        }

    @extend_schema(responses=s.PolicySerializer)
    def get(self, request, pk: int):
        course, _role = selectors.course_for_reader(request.user, pk)
        return Response(self._data(services.policy_for(course)))

    @extend_schema(request=s.PolicySerializer, responses=s.PolicySerializer)
    def patch(self, request, pk: int):
        course, role = selectors.course_for_reader(request.user, pk)
        body = s.PolicySerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        policy = services.policy_update(course=course, role=role, **body.validated_data)
        return Response(self._data(policy))


class SchoolReport(APIView):
    """Rates by course and by week, and students under the threshold (the school's admins)."""

    @extend_schema(
        parameters=[
            EXPORT,
            OpenApiParameter("threshold", int, description="Percent; default 80."),
            OpenApiParameter("weeks", int, description="Window for the threshold; default 4."),
        ],
        responses=OpenApiTypes.OBJECT,
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
            headers, body = exports.school_table(report)
            return exports.render(fmt, headers, body, filename=f"attendance-{school.slug}")
        return Response(
            {
                "school": school.slug,
                "threshold": report["threshold"],
                "window_weeks": report["window_weeks"],
                "courses": [
                    {
                        "id": r["course"].pk,
                        "code": r["course"].code,
                        "counted": r["counted"],
                        "rate": data.rate(r["rate"]),
                    }
                    for r in report["courses"]
                ],
                "weeks": [
                    {
                        "week": r["week"].date().isoformat(),
                        "counted": r["counted"],
                        "rate": data.rate(r["rate"]),
                    }
                    for r in report["weeks"]
                ],
                "under_threshold": [
                    {
                        **{k: r[k] for k in ("user_id", "name", "email", "counted")},
                        "rate": data.rate(r["rate"]),
                    }
                    for r in report["under"]
                ],
            }
        )


class Unmatched(GenericAPIView):
    """Evidence for unknown rooms or people (platform staff; a school's admins for theirs)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        page = self.paginate_queryset(selectors.unmatched_events(request.user))
        return self.get_paginated_response(
            [
                {
                    "id": e.pk,
                    "source": e.source,
                    "kind": e.kind,
                    "reason": e.unmatched,
                    "room_name": e.room_name,
                    "session": e.session_id,
                    "occupant_id": e.occupant_id,
                    "display_name": e.display_name,
                    "occurred_at": e.occurred_at.isoformat(),
                    "received_at": e.received_at.isoformat(),
                }
                for e in page
            ]
        )
