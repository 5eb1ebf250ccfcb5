"""Demo live lessons: a weekly schedule per demo course and a lesson open right now."""

from datetime import time, timedelta

from django.utils import timezone

from courses.access import SYSTEM
from courses.models import Course

from .models import LiveSeries, LiveSession
from .services import live_series_create, live_session_create

SCHEDULES = {
    # code: (weekdays Mon=0, local start, minutes, title)
    "TOAN10": ([0, 2, 4], time(19, 0), 90, "Toán 10 – buổi học trực tuyến"),
    "TIN10": ([1, 3], time(18, 0), 90, "Tin học 10 – thực hành"),
}


def seed(*, people) -> None:
    today = timezone.localdate()
    for course in Course.objects.filter(school=people.school, code__in=SCHEDULES):
        weekdays, start, minutes, title = SCHEDULES[course.code]
        if not LiveSeries.objects.filter(course=course).exists():
            live_series_create(
                course=course,
                by=SYSTEM,  # demo data: the explicit system path
                weekdays=weekdays,
                start_time=start,
                duration_minutes=minutes,
                first_date=today,
                last_date=today + timedelta(weeks=10),
                title=title,
                confirm_overlap=True,
            )
    # So that "join today's lesson in one click" can be tried at any hour: one lesson of the
    # first demo course is open from now for two hours, unless one already is.
    course = Course.objects.filter(school=people.school, code="TOAN10").first()
    now = timezone.now()
    if course is None:
        return
    open_now = LiveSession.objects.filter(
        course=course,
        starts_at__lte=now + timedelta(minutes=10),
        ends_at__gt=now,
        status__in=[LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE],
    )
    if not open_now.exists():
        starts_at = now.replace(second=0, microsecond=0)
        live_session_create(
            course=course,
            by=SYSTEM,  # demo data: the explicit system path
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            title="Buổi học thử – chữa bài tập chương 1",
            confirm_overlap=True,
        )
