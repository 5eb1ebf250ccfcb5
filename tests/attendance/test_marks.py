"""Marks at each threshold, recomputation from late evidence, overrides with history, the hook
that computes them when a lesson ends, and rates for the gradebook."""

from datetime import timedelta

import pytest

from attendance import services
from attendance.models import (
    AttendanceMark,
    AttendancePolicy,
    AttendanceRate,
    MarkChange,
    PresenceEvent,
)
from classrooms import services as classrooms_services
from courses.models import Enrollment
from lms.errors import ServiceError
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(school, teacher):
    students = [member(school, "student") for _ in range(2)]
    course = f.course_with(school, teacher, students)
    session = f.lesson(course, minutes_ago=120, length=60, status="ended")
    return course, session, students


def stay(session, user, start_min, end_min, *, resource="r1", name=None):
    with f.folding():
        _stay(session, user, start_min, end_min, resource=resource, name=name)


def _stay(session, user, start_min, end_min, *, resource="r1", name=None):
    start = session.starts_at + timedelta(minutes=start_min)
    services.event_record(
        source="event_sync",
        kind="joined",
        occurred_at=start,
        session=session,
        user=user,
        occupant_id=str(user.pk),
        connection_id=resource,
        display_name=name or user.full_name,
    )
    if end_min is not None:
        services.event_record(
            source="event_sync",
            kind="left",
            occurred_at=session.starts_at + timedelta(minutes=end_min),
            session=session,
            user=user,
            occupant_id=str(user.pk),
            connection_id=resource,
            display_name=name or user.full_name,
        )


def mark_of(session, user):
    return AttendanceMark.objects.get(session=session, user=user)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 60, "present"),
        (10, 60, "present"),  # joined exactly 10 minutes after the start, 50/60 = 83%
        (-10, 45, "present"),  # grace before the start; exactly 75%
        (0, 44.99, "left_early"),  # just under 75%
        (11, 60, "late"),  # 49/60 = 81.7%, joined after 10 minutes
        (15, 60, "late"),  # exactly 75% and late
        (16, 60, "left_early"),
        (0, 15, "left_early"),  # exactly 25%
        (0, 14.9, "absent"),
        (None, None, "absent"),  # never joined
    ],
)
def test_every_status_at_its_threshold(ctx, start, end, expected):
    _course, session, (student, _other) = ctx
    if start is not None:
        stay(session, student, start, end)
    services.marks_compute(session=session)
    mark = mark_of(session, student)
    assert mark.status == expected == mark.computed_status
    assert mark.scheduled_seconds == 3600
    assert MarkChange.objects.filter(mark=mark, action="computed").count() == 1


def test_thresholds_per_course(ctx):
    course, session, (student, _other) = ctx
    AttendancePolicy.objects.create(course=course, present_percent=90, partial_percent=50)
    stay(session, student, 0, 50)  # 83%
    services.marks_compute(session=session)
    assert mark_of(session, student).status == "left_early"


def test_lesson_ended_early_counts_its_real_length(ctx):
    _course, session, (student, _other) = ctx
    session.ended_at = session.starts_at + timedelta(minutes=30)
    session.save()
    stay(session, student, 0, 30)
    services.marks_compute(session=session)
    assert mark_of(session, student).status == "present"


def test_flags_two_places_other_name_and_client_only(ctx):
    _course, session, (student, other) = ctx
    stay(session, student, 0, 60, resource="phone")
    stay(session, student, 5, 55, resource="laptop", name="Mẹ của em")
    services.marks_compute(session=session)
    mark = mark_of(session, student)
    assert set(mark.flags) == {"two_places", "other_name"}
    assert mark.evidence_source == "server"


def test_client_evidence_counts_only_without_a_server_source(ctx):
    course, session, (student, other) = ctx
    for minute in range(0, 61):
        services.event_record(
            source="client",
            kind="heartbeat",
            occurred_at=session.starts_at + timedelta(minutes=minute),
            session=session,
            user=student,
            connection_id="tab",
        )
    services.marks_compute(session=session)
    mark = mark_of(session, student)
    assert (mark.status, mark.flags, mark.evidence_source) == ("present", ["client_only"], "client")
    AttendancePolicy.objects.create(course=course, count_client_evidence=False)
    course._attendance_policy = None
    services.marks_compute(session=session)
    mark.refresh_from_db()
    assert mark.status == "absent" and "no_server_evidence" in mark.flags
    # As soon as the video server reports on the lesson, only its evidence counts.
    stay(session, other, 0, 60)
    services.marks_compute(session=session)
    mark.refresh_from_db()
    assert mark.status == "absent" and mark.evidence_source == "server"
    assert mark_of(session, other).status == "present"


def test_late_events_recompute_the_mark(ctx):
    _course, session, (student, _other) = ctx
    services.marks_compute(session=session)
    assert mark_of(session, student).status == "absent"
    stay(session, student, 0, 60)  # the webhook was delayed: arrives after the lesson
    mark = mark_of(session, student)
    assert mark.status == "present"
    actions = list(MarkChange.objects.filter(mark=mark).values_list("action", "to_status"))
    assert actions == [("computed", "absent"), ("recomputed", "present")]


def test_override_keeps_the_computed_mark_and_the_history(ctx, teacher):
    _course, session, (student, _other) = ctx
    services.marks_compute(session=session)
    mark = mark_of(session, student)
    with pytest.raises(ServiceError) as missing:
        services.attendance_override(mark=mark, by=teacher, status="excused", reason=" ")
    assert missing.value.field == "reason"
    with pytest.raises(ServiceError) as refused:  # a student of the course: 403
        services.attendance_override(mark=mark, by=student, status="present", reason="me")
    assert refused.value.status == 403
    services.attendance_override(mark=mark, by=teacher, status="excused", reason="Ốm, có giấy")
    mark.refresh_from_db()
    assert (mark.status, mark.computed_status, mark.override_status) == (
        "excused",
        "absent",
        "excused",
    )
    assert mark.overridden_by == teacher and mark.override_reason == "Ốm, có giấy"
    # Recomputing later keeps the override.
    stay(session, student, 0, 20)
    mark.refresh_from_db()
    assert (mark.status, mark.computed_status) == ("excused", "left_early")
    history = list(
        MarkChange.objects.filter(mark=mark).values_list(
            "action", "from_status", "to_status", "changed_by", "reason"
        )
    )
    assert history == [
        ("computed", "", "absent", None, ""),
        ("overridden", "absent", "excused", teacher.pk, "Ốm, có giấy"),
        # The late "joined" and "left" arrive together: one fold, one recomputation.
        ("recomputed", "absent", "left_early", None, ""),
    ]


def test_lesson_end_hook_computes_marks_and_a_dropped_student_keeps_them(
    ctx, teacher, django_capture_on_commit_callbacks
):
    course, _ended, (student, other) = ctx
    session = f.lesson(course, minutes_ago=50, length=45, status="live")
    stay(session, student, 0, 45)
    with django_capture_on_commit_callbacks(execute=True):
        classrooms_services.live_session_end(session=session, by=teacher)
    assert AttendanceMark.objects.filter(session=session, is_final=True).count() == 2
    assert mark_of(session, student).status == "present"
    Enrollment.objects.filter(course=course, user=student).update(status="dropped")
    services.marks_compute(session=session)
    assert mark_of(session, student).status == "present"  # nothing deleted, still computed
    assert PresenceEvent.objects.filter(session=session).count() == 2


def test_rates_follow_every_mark_change(ctx, teacher):
    course, session, (student, other) = ctx
    second = f.lesson(course, minutes_ago=300, length=60, status="ended")
    stay(session, student, 0, 60)
    stay(second, student, 0, 20)  # left early: half credit
    services.marks_compute(session=session)
    services.marks_compute(session=second)
    rate = AttendanceRate.objects.get(course=course, user=student)
    assert (rate.lessons_counted, rate.credited, rate.rate) == (2, 1.5, 0.75)
    services.attendance_override(
        mark=mark_of(second, student), by=teacher, status="excused", reason="ok"
    )
    rate.refresh_from_db()
    assert (rate.lessons_counted, rate.rate) == (1, 1.0)
    assert AttendanceRate.objects.get(course=course, user=other).rate == 0.0


def test_random_checks_are_planned_when_the_lesson_starts_and_asked_when_due(
    ctx, teacher, django_capture_on_commit_callbacks
):
    course, _ended, (student, _other) = ctx
    AttendancePolicy.objects.create(course=course, random_checks=2)
    session = f.lesson(course, minutes_ago=-3, length=60)
    with django_capture_on_commit_callbacks(execute=True):
        classrooms_services.live_session_start(session=session, by=teacher)
    checks = list(session.presence_checks.all())
    assert len(checks) == 2 and all(c.asked_at is None and c.scheduled_for for c in checks)
    stay(session, student, -4, None)  # in the room since a minute ago (before the start)
    due = max(c.scheduled_for for c in checks) + timedelta(seconds=1)
    assert services.random_checks_run_due(now=due) == 2
    assert services.random_checks_run_due(now=due) == 0  # idempotent
    assert session.presence_checks.filter(prompts__user=student).count() == 2
