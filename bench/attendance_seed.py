"""Data for bench/attendance.py: a lesson full of students, the event_sync bodies they would
post, and a large course of final marks."""

import json


def seed(students: int):
    from datetime import timedelta

    from django.utils import timezone

    from classrooms.models import LiveSession
    from courses.models import Course, Enrollment
    from lms.models import Membership, School, User

    school = School.objects.create(name="Bench school", slug="bench")
    course = Course.objects.create(school=school, code="BENCH", title="Bench", status="active")
    users = User.objects.bulk_create(
        User(email=f"hs{i}@bench.test", full_name=f"Học sinh {i}", password="!")
        for i in range(students)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role="student") for u in users)
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u, role="student") for u in users)
    now = timezone.now()
    session = LiveSession.objects.create(
        course=course,
        starts_at=now - timedelta(minutes=60),
        ends_at=now + timedelta(minutes=30),
        status="live",
        started_at=now - timedelta(minutes=60),
    )
    return session, users


def payloads(session, users, total: int):
    """Per student, alternating joined/left of successive connections across the lesson."""
    start = int(session.starts_at.timestamp())
    per_user = max(2, total // len(users))
    span = 55 * 60
    out = []
    for n in range(per_user):
        for user in users:
            pair, is_left = divmod(n, 2)
            at = start + int(span * (pair * 2 + is_left) / per_user)
            occupant = {
                "id": str(user.pk),
                "name": user.full_name,
                "email": user.email,
                "occupant_jid": f"{session.room_name}@conference.bench/{user.pk}-{pair}",
            }
            kind = "left" if is_left else "joined"
            occupant[f"{kind}_at"] = at
            body = {
                "event_name": f"muc-occupant-{kind}",
                "room_name": session.room_name,
                "room_jid": f"{session.room_name}@conference.bench",
                "is_breakout": False,
                "occupant": occupant,
            }
            out.append((kind, json.dumps(body)))
            if len(out) >= total:
                return out
    return out


def seed_matrix(school, students: int, lessons: int):
    """A course of `students` x `lessons` final marks (bulk inserts)."""
    from datetime import timedelta

    from django.utils import timezone

    from attendance.models import AttendanceMark
    from classrooms.models import LiveSession
    from courses.models import Course, Enrollment
    from lms.models import User

    course = Course.objects.create(school=school, code="MATRIX", title="Matrix", status="active")
    users = User.objects.bulk_create(
        User(email=f"m{i}@bench.test", full_name=f"Trần Thị {i}", password="!")
        for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u, role="student") for u in users)
    start = timezone.now() - timedelta(days=lessons + 1)
    sessions = LiveSession.objects.bulk_create(
        LiveSession(
            course=course,
            starts_at=start + timedelta(days=d),
            ends_at=start + timedelta(days=d, hours=1),
            status="ended",
        )
        for d in range(lessons)
    )
    statuses = ["present", "present", "present", "late", "left_early", "absent", "excused"]
    now = timezone.now()
    AttendanceMark.objects.bulk_create(
        (
            AttendanceMark(
                session=s,
                course=course,
                user=u,
                status=statuses[(i + j) % len(statuses)],
                computed_status=statuses[(i + j) % len(statuses)],
                is_final=True,
                computed_at=now,
            )
            for i, u in enumerate(users)
            for j, s in enumerate(sessions)
        ),
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: both sides plan with real statistics.
        cursor.execute("ANALYZE")
    return course
