"""Gradebook benchmark: the staff gradebook request against the raw SQL fetch of its rows.

  .venv/bin/python bench/gradebook.py [--students 500] [--items 40] [--requests 40]

Creates a PostgreSQL database (default postgres://postgres@127.0.0.1:5432/lophoc_bench_gradebook),
migrates it, seeds one course with students, published assignments in three hệ số categories,
submissions and grades (some excused, some missing, half released), an attendance column, and
serves the app with gunicorn on 127.0.0.1 (a free port). It then requests
GET /api/v1/courses/<id>/gradebook/ with a bearer token and, in the same run, times the raw SQL
fetch of the same rows (enrolled students, published assignments, their grades) with psycopg.
Prints median and p95 of both and their ratio. Everything stays on 127.0.0.1; loops are bounded.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as `python bench/gradebook.py`, this folder is first on sys.path, not the project root.
sys.path.insert(0, str(ROOT))

from bench.database import set_up, tear_down  # noqa: E402
from bench.stats import percentile  # noqa: E402
from lms.devservers import start_gunicorn, stop  # noqa: E402

# Every cell the response carries, in one statement: the grade, the latest attempt's lateness
# and the student's own due time.
RAW_SQL = """
SELECT e.user_id, u.full_name, u.email, a.id, a.title, a.points, a.category, a.due_at,
       g.id, g.score, g.excused, g.released_at, g.version, s.late, x.due_at
FROM courses_enrollment e
JOIN lms_user u ON u.id = e.user_id
CROSS JOIN grading_assignment a
LEFT JOIN grading_grade g ON g.assignment_id = a.id AND g.student_id = e.user_id
LEFT JOIN (
  SELECT assignment_id, student_id, MAX(seconds_late) AS late FROM grading_submission
  WHERE state = 'submitted' GROUP BY assignment_id, student_id
) s ON s.assignment_id = a.id AND s.student_id = e.user_id
LEFT JOIN grading_extension x ON x.assignment_id = a.id AND x.student_id = e.user_id
WHERE e.course_id = %(course)s AND e.role = 'student' AND e.status = 'active'
  AND a.course_id = %(course)s AND a.status = 'published'
"""


def seed(students: int, items: int):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from attendance.models import AttendancePolicy, AttendanceRate
    from courses.models import Course, Enrollment
    from grading.models import Assignment, Category, Grade, Submission
    from lms.models import Membership, School, User
    from lms.services import api_token_create

    school = School.objects.create(name="Bench school", slug="bench")
    course = Course.objects.create(school=school, code="BENCH", title="Bench", status="active")
    teacher = User.objects.create(email="gv@bench.test", full_name="Cô Giáo", password="!")
    Membership.objects.create(user=teacher, school=school, role="teacher")
    Enrollment.objects.create(course=course, user=teacher, role="teacher")
    users = User.objects.bulk_create(
        User(email=f"hs{i}@bench.test", full_name=f"Nguyễn Văn Học {i}", password="!")
        for i in range(students)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role="student") for u in users)
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u, role="student") for u in users)
    for name, weight, drop in (("tx", 1, 2), ("gk", 2, 0), ("ck", 3, 0)):
        Category.objects.create(course=course, name=name, weight=weight, drop_lowest=drop)
    now = timezone.now()
    assignments = Assignment.objects.bulk_create(
        Assignment(
            course=course,
            title=f"Bài {i + 1}",
            points=Decimal(10),
            category="tx" if i % 4 else ("gk" if i % 8 else "ck"),
            due_at=now - timedelta(days=items - i),
            status="published",
        )
        for i in range(items)
    )
    Submission.objects.bulk_create(
        Submission(
            assignment=a,
            student=u,
            attempt=1,
            state="submitted",
            submitted_at=a.due_at,
            due_at=a.due_at,
            seconds_late=3600 if (i + j) % 9 == 0 else 0,
        )
        for i, u in enumerate(users)
        for j, a in enumerate(assignments)
        if (i + j) % 13
    )
    Grade.objects.bulk_create(
        Grade(
            assignment=a,
            student=u,
            raw_score=Decimal((i * 7 + j * 3) % 101) / 10,
            score=Decimal((i * 7 + j * 3) % 101) / 10,
            excused=(i + j) % 31 == 0,
            released_at=now if j % 2 else None,
        )
        for i, u in enumerate(users)
        for j, a in enumerate(assignments)
        if (i + j) % 13 and (i + j) % 17
    )
    AttendancePolicy.objects.create(course=course, gradebook_column=True)
    AttendanceRate.objects.bulk_create(
        AttendanceRate(
            course=course, user=u, lessons_counted=10, credited=i % 11, rate=(i % 11) / 10
        )
        for i, u in enumerate(users)
    )
    _token, raw = api_token_create(user=teacher, name="bench")
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does soon after any bulk load: both sides plan with real statistics.
        cursor.execute("ANALYZE")
    return course, raw


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/lophoc_bench_gradebook"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DEBUG": "0",
    }
    set_up(env)
    import psycopg
    import requests

    began = time.perf_counter()
    course, token = seed(args.students, args.items)
    print(
        f"seeded {args.students} students × {args.items} items in "
        f"{time.perf_counter() - began:.1f} s"
    )
    server, port = start_gunicorn("lms.wsgi:application", workers=args.workers, env=env, cwd=ROOT)
    http_times: list[float] = []
    raw_times: list[float] = []
    rows = cells = 0
    try:
        url = f"http://127.0.0.1:{port}/api/v1/courses/{course.pk}/gradebook/"
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        with psycopg.connect(args.database) as conn:
            for n in range(args.requests + 2):
                started = time.perf_counter()
                response = session.get(url, timeout=60)
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                started = time.perf_counter()
                fetched = conn.execute(RAW_SQL, {"course": course.pk}).fetchall()
                raw_elapsed = time.perf_counter() - started
                if n >= 2:  # the first requests warm each worker's imports and connection
                    http_times.append(elapsed)
                    raw_times.append(raw_elapsed)
                cells = len(fetched)
            data = response.json()
            rows = len(data["rows"])
    finally:
        stop(server)
    http_med, http_p95 = statistics.median(http_times), percentile(http_times, 95)
    raw_med, raw_p95 = statistics.median(raw_times), percentile(raw_times, 95)
    print(
        f"gradebook API through gunicorn ({args.workers} workers, PostgreSQL): "
        f"{rows} students × {args.items} items, {len(response.content) / 1024:.0f} KB JSON, "
        f"{len(http_times)} requests: median {http_med * 1000:.0f} ms, p95 {http_p95 * 1000:.0f} ms"
    )
    print(
        f"raw SQL fetch of the same {cells} cells (psycopg, same run): "
        f"median {raw_med * 1000:.1f} ms, p95 {raw_p95 * 1000:.1f} ms"
    )
    print(
        f"ratio gradebook/raw: median {http_med / raw_med:.1f}×, p95 {http_p95 / raw_p95:.1f}× "
        f"(targets: p95 < 300 ms, within 3×)"
    )
    tear_down(args.database, keep=args.keep)


if __name__ == "__main__":
    main()
