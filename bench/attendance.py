"""Attendance benchmark: event_sync ingestion over HTTP and mark computation.

  .venv/bin/python bench/attendance.py [--events 100000] [--clients 8] [--students 500]

Creates a PostgreSQL database (default postgres://postgres@127.0.0.1:5432/lophoc_bench),
migrates it, seeds a course with students and a running lesson, serves the app with gunicorn
on 127.0.0.1 (a free port), posts `occupant/joined|left` events as the prosody module would from
a few concurrent clients, and prints events per second. Then it ends the lesson and prints the
median time of computing the marks of every student (refold + marks, alerts not included).
Everything stays on 127.0.0.1; every loop is bounded.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TOKEN = "bench-event-sync-token-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


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


def post_all(base: str, events, clients: int) -> tuple[float, int, int]:
    import requests

    chunks = [events[i::clients] for i in range(clients)]
    errors = []
    done = [0]
    lock = threading.Lock()

    def run(chunk):
        session = requests.Session()
        session.headers.update(
            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        )
        bad = 0
        for kind, body in chunk:
            response = session.post(f"{base}/occupant/{kind}", data=body, timeout=30)
            if response.status_code != 200:
                bad += 1
        with lock:
            done[0] += len(chunk)
            errors.append(bad)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, chunks))
    return time.perf_counter() - began, done[0], sum(errors)


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--workers", type=int, default=max(2, min(8, os.cpu_count() or 2)))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/lophoc_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "ATTENDANCE_EVENT_SYNC_TOKEN": TOKEN,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "0",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    recreate_database(args.database)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )

    import django

    django.setup()
    from attendance import services
    from attendance.models import AttendanceMark, PresenceEvent, PresenceInterval

    session, users = seed(args.students)
    events = payloads(session, users, args.events)
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "lms.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}/api/v1/attendance/hooks/event-sync/events"
        elapsed, sent, errors = post_all(base, events, args.clients)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    stored = PresenceEvent.objects.filter(session=session).count()
    print(
        f"ingestion: {sent} event_sync events from {args.clients} clients to gunicorn "
        f"({args.workers} workers, PostgreSQL) in {elapsed:.1f} s = {sent / elapsed:.0f} events/s "
        f"({errors} non-200, {stored} stored, "
        f"{PresenceInterval.objects.filter(session=session).count()} intervals)"
    )

    session.refresh_from_db()
    session.status = "ended"
    session.save(update_fields=["status"])
    services._schedule_alerts = lambda *a, **k: None  # measure the computation, not e-mail
    timings = []
    for _ in range(args.runs):
        began = time.perf_counter()
        services.marks_compute(session=session, final=True)
        timings.append(time.perf_counter() - began)
    marks = AttendanceMark.objects.filter(session=session)
    by_status = {
        s: marks.filter(status=s).count() for s in ("present", "late", "left_early", "absent")
    }
    print(
        f"marks: {marks.count()} students, {stored} events: "
        f"median {statistics.median(timings):.2f} s "
        f"over {args.runs} runs (min {min(timings):.2f}, max {max(timings):.2f}); {by_status}"
    )
    from django.db import connections

    connections.close_all()
    if not args.keep:
        drop_database(args.database)


if __name__ == "__main__":
    main()
