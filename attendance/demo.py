"""Demo attendance (hook demo_seed): four weeks of past lessons with marks, so every report is
filled on the first `make run`: a few late, left early and absent marks, one excused by the
teacher with a reason, one open dispute, and one student under the threshold with the alert
sent to the school's administrators. Idempotent: nothing is added once the history exists."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from classrooms.models import LiveSession
from courses.access import SYSTEM
from courses.models import Course, Enrollment

from . import services
from .models import AttendanceMark, Dispute, LessonRegister, PresenceEvent, Source

WEEKS = 4
# code: (weekdays Mon=0, local start, minutes) as in classrooms' demo schedule
LESSONS = {"TOAN10": ([0, 2, 4], time(19, 0), 90), "TIN10": ([1, 3], time(18, 0), 90)}


def _stay(student_index: int, lesson_index: int, minutes: int):
    """(join, leave) minutes after the start for one demo student, or None when absent."""
    if student_index == 0:  # chronically absent: comes to one lesson in four, briefly
        return (5, 30) if lesson_index % 4 == 0 else None
    if (student_index + lesson_index) % 11 == 0:
        return None
    if student_index == 1 or (student_index + lesson_index) % 9 == 0:
        return (17, minutes)  # late
    if student_index == 2 and lesson_index % 3 == 0:
        return (0, minutes // 2)  # left early
    return (-3, minutes)


def _events(session, students, lesson_index: int, minutes: int) -> list[PresenceEvent]:
    events = []
    for index, student in enumerate(students):
        stay = _stay(index, lesson_index, minutes)
        if stay is None:
            continue
        for kind, offset in (("joined", stay[0]), ("left", stay[1])):
            events.append(
                PresenceEvent(
                    source=Source.EVENT_SYNC,
                    kind=kind,
                    occurred_at=session.starts_at + timedelta(minutes=offset),
                    room_name=session.room_name,
                    session=session,
                    user=student,
                    occupant_id=str(student.pk),
                    connection=f"{session.room_name}@conference/demo-{student.pk}",
                    display_name=student.full_name,
                    raw={"demo": True},
                )
            )
    return events


def seed(*, people) -> None:
    courses = list(Course.objects.filter(school=people.school, code__in=LESSONS).order_by("code"))
    if not courses or AttendanceMark.objects.filter(course__in=courses).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    zone = timezone.get_current_timezone()
    last_course_session = None
    for course in courses:
        weekdays, start, minutes = LESSONS[course.code]
        students = [
            e.user
            for e in Enrollment.objects.filter(
                course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
            )
            .select_related("user")
            .order_by("user__email")
        ]
        days = [
            today - timedelta(days=back)
            for back in range(WEEKS * 7, 0, -1)
            if (today - timedelta(days=back)).weekday() in weekdays
        ]
        for lesson_index, day in enumerate(days):
            starts_at = datetime.combine(day, start, tzinfo=zone)
            ends_at = starts_at + timedelta(minutes=minutes)
            with transaction.atomic():
                session = LiveSession.objects.create(
                    course=course,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    status=LiveSession.Status.ENDED,
                    started_at=starts_at,
                    ended_at=ends_at,
                    title=f"{course.title} – buổi {lesson_index + 1}",
                )
                PresenceEvent.objects.bulk_create(_events(session, students, lesson_index, minutes))
                services.marks_compute(session=session, final=True, by=SYSTEM, now=ends_at)
            last_course_session = (course, session, students)
    # Everything but the last lesson was reviewed long ago: its alerts are history.
    LessonRegister.objects.filter(session__course__in=courses).update(alerts_sent_at=now)
    if last_course_session is None:
        return
    course, session, students = last_course_session
    teacher = (
        Enrollment.objects.filter(course=course, role=Enrollment.Role.TEACHER)
        .select_related("user")
        .first()
    )
    if teacher is None or len(students) < 4:
        return
    teacher = teacher.user
    with transaction.atomic():
        excused = AttendanceMark.objects.filter(session=session, user=students[3]).first()
        if excused is not None:
            services.attendance_override(
                mark=excused,
                by=teacher,
                status="excused",
                reason="Ốm, có giấy xin phép của phụ huynh",
            )
        disputed = (
            AttendanceMark.objects.filter(
                course=course, user=students[2], status__in=("left_early", "absent")
            )
            .order_by("-session__starts_at")
            .first()
        )
        if disputed is not None and not Dispute.objects.filter(mark=disputed).exists():
            services.dispute_open(
                mark=disputed,
                by=students[2],
                message="Em bị mất mạng giữa giờ nhưng vẫn nghe giảng qua điện thoại ạ.",
                requested_status="present",
            )
    # The last lesson's register is still open for review; the chronic absentee is reported.
    LessonRegister.objects.filter(session=session).update(alerts_sent_at=None, final_at=now)
    services.chronic_absence_evaluate(
        school=people.school, user_ids=[s.pk for s in students], now=now
    )
