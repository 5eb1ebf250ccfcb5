"""The live-lesson API: thin views over classrooms.services and classrooms.selectors."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.access import Cap

from .. import selectors, services
from ..models import LiveSession
from . import serializers as s


def _query_instant(request, name: str, *, end: bool = False) -> datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        day = parse_date(raw)
        value = None if day else parse_datetime(raw)
    except ValueError:
        day = value = None
    if day is not None:
        # A bare date covers the whole day.
        value = datetime.combine(day, time.max if end else time.min)
    if value is None:
        raise ValidationError({name: ["Use an ISO 8601 date or date-time."]})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _query_int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: ["Give a number."]}) from None


@extend_schema(
    parameters=[OpenApiParameter("course", int, description="Only this course's schedules.")]
)
class SeriesListCreate(generics.ListAPIView):
    """Weekly schedules of the courses you can see. POST (teachers, assistants) creates one."""

    serializer_class = s.LiveSeriesSerializer

    def get_queryset(self):
        queryset = selectors.series_visible_to(self.request.user).order_by("pk")
        course = _query_int(self.request, "course")
        if course is not None:
            queryset = queryset.filter(course_id=course)
        return queryset

    @extend_schema(request=s.LiveSeriesCreateSerializer, responses={201: s.LiveSeriesSerializer})
    def post(self, request):
        data = s.LiveSeriesCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        course, _role = selectors.course_for_staff(request.user, values.pop("course"))
        series = services.live_series_create(course=course, by=request.user, **values)
        return Response(s.LiveSeriesSerializer(series).data, status=status.HTTP_201_CREATED)


class SeriesDetail(APIView):
    serializer_class = s.LiveSeriesSerializer

    @extend_schema(responses=s.LiveSeriesSerializer)
    def get(self, request, pk: int):
        series, _role = selectors.series_for(request.user, pk)
        return Response(s.LiveSeriesSerializer(series).data)

    @extend_schema(request=s.LiveSeriesUpdateSerializer, responses=s.LiveSeriesSerializer)
    def patch(self, request, pk: int):
        series, _role = selectors.series_for(request.user, pk, Cap.LIVE_MANAGE)
        data = s.LiveSeriesUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        series = services.live_series_update(series=series, by=request.user, **data.validated_data)
        return Response(s.LiveSeriesSerializer(series).data)


@extend_schema(
    parameters=[
        OpenApiParameter("course", int, description="Only this course's lessons."),
        OpenApiParameter(
            "from", OpenApiTypes.DATETIME, description="Lessons ending after (ISO date or time)."
        ),
        OpenApiParameter(
            "to", OpenApiTypes.DATETIME, description="Lessons starting before (ISO date or time)."
        ),
        OpenApiParameter("status", enum=LiveSession.Status.values),
    ]
)
class SessionListCreate(generics.ListAPIView):
    """Live lessons of the courses you can see. POST (teachers, assistants) adds a one-off."""

    serializer_class = s.LiveSessionSerializer

    def get_queryset(self):
        status_filter = self.request.query_params.get("status") or None
        if status_filter and status_filter not in LiveSession.Status.values:
            raise ValidationError(
                {"status": [f"Use one of: {', '.join(LiveSession.Status.values)}."]}
            )
        return selectors.filter_sessions(
            selectors.sessions_visible_to(self.request.user),
            course_id=_query_int(self.request, "course"),
            start=_query_instant(self.request, "from"),
            end=_query_instant(self.request, "to", end=True),
            status=status_filter,
        )

    @extend_schema(request=s.LiveSessionCreateSerializer, responses={201: s.LiveSessionSerializer})
    def post(self, request):
        data = s.LiveSessionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        course, _role = selectors.course_for_staff(request.user, values.pop("course"))
        session = services.live_session_create(course=course, by=request.user, **values)
        return Response(s.LiveSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetail(APIView):
    serializer_class = s.LiveSessionSerializer

    @extend_schema(responses=s.LiveSessionSerializer)
    def get(self, request, pk: int):
        session, _role = selectors.session_for(request.user, pk)
        return Response(s.LiveSessionSerializer(session).data)


class SessionJoin(APIView):
    """Domain, room, a short-lived Jitsi token and the embed configuration for this lesson.

    Course members and the school's administrators (observers, never moderators); others 404.
    """

    serializer_class = s.JoinSerializer

    @extend_schema(request=None, responses=s.JoinSerializer)
    def post(self, request, pk: int):
        session, _role = selectors.session_for(request.user, pk, Cap.LIVE_JOIN)
        join = services.live_session_join(session=session, by=request.user)
        return Response(s.JoinSerializer(join).data)


class _SessionAction(APIView):
    serializer_class = s.LiveSessionSerializer
    service = None

    @extend_schema(request=None, responses=s.LiveSessionSerializer)
    def post(self, request, pk: int):
        session, _role = selectors.session_for(request.user, pk, Cap.LIVE_MANAGE)
        session = type(self).service(session=session, by=request.user)
        return Response(s.LiveSessionSerializer(session).data)


class SessionStart(_SessionAction):
    """Open the room (teachers and assistants), early if wanted."""

    service = staticmethod(services.live_session_start)


class SessionEnd(_SessionAction):
    """End the lesson for everyone (teachers and assistants)."""

    service = staticmethod(services.live_session_end)


class SessionCancel(_SessionAction):
    """Cancel a lesson that has not started (teachers and assistants)."""

    @extend_schema(request=s.LiveSessionCancelSerializer, responses=s.LiveSessionSerializer)
    def post(self, request, pk: int):
        session, _role = selectors.session_for(request.user, pk, Cap.LIVE_MANAGE)
        data = s.LiveSessionCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.live_session_cancel(
            session=session, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(s.LiveSessionSerializer(session).data)


class SessionMove(_SessionAction):
    """Move one lesson; it keeps its room and stops following its series."""

    @extend_schema(request=s.LiveSessionMoveSerializer, responses=s.LiveSessionSerializer)
    def post(self, request, pk: int):
        session, _role = selectors.session_for(request.user, pk, Cap.LIVE_MANAGE)
        data = s.LiveSessionMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = services.live_session_move(session=session, by=request.user, **values)
        return Response(s.LiveSessionSerializer(session).data)


def _feed_data(request, feed) -> dict:
    return {
        "url": request.build_absolute_uri(reverse("classrooms:feed", args=[feed.key])),
        "created_at": feed.created_at,
        "rotated_at": feed.rotated_at,
    }


class CalendarFeedView(APIView):
    """Your private iCalendar feed address."""

    serializer_class = s.CalendarFeedSerializer

    @extend_schema(responses=s.CalendarFeedSerializer)
    def get(self, request):
        feed = services.calendar_feed_get(user=request.user)
        return Response(s.CalendarFeedSerializer(_feed_data(request, feed)).data)


class CalendarFeedRotate(APIView):
    """A new secret feed address; the old one stops working."""

    serializer_class = s.CalendarFeedSerializer

    @extend_schema(request=None, responses=s.CalendarFeedSerializer)
    def post(self, request):
        feed = services.calendar_feed_rotate(user=request.user)
        return Response(s.CalendarFeedSerializer(_feed_data(request, feed)).data)


class ReminderPreferenceView(APIView):
    """Whether you get an e-mail before each live lesson."""

    serializer_class = s.ReminderPreferenceSerializer

    @extend_schema(responses=s.ReminderPreferenceSerializer)
    def get(self, request):
        return Response({"email_enabled": selectors.reminders_enabled(request.user)})

    @extend_schema(request=s.ReminderPreferenceSerializer, responses=s.ReminderPreferenceSerializer)
    def put(self, request):
        data = s.ReminderPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.reminder_preference_set(
            user=request.user, email_enabled=data.validated_data["email_enabled"]
        )
        return Response({"email_enabled": preference.email_enabled})
