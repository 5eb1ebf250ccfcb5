"""A real Celery worker on Redis folds the evidence; killing it with SIGKILL in the middle of
a stream of events loses nothing: after a restart (and its sweep) every accepted event is
folded, and the intervals and marks equal those of a clean run."""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from attendance import services
from attendance.models import AttendanceMark, PresenceEvent, PresenceInterval
from tests.factories import attendance as f
from tests.factories.lms import member

ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/13"
CACHE = "redis://127.0.0.1:6379/12"


def _redis() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis(), reason="needs Redis on 127.0.0.1:6379"),
    # The worker is another process: it reaches the test database over a connection, which
    # SQLite's in-memory test database does not offer.
    pytest.mark.skipif(
        os.environ.get("LOPHOC_TEST_DB") == "sqlite", reason="needs PostgreSQL (a worker process)"
    ),
]


def _database_url() -> str:
    s = connection.settings_dict
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def _start_worker(log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "REDIS_URL": CACHE,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "ATTENDANCE_FOLD_DELAY_SECONDS": "0",
        "ATTENDANCE_SWEEP_AFTER_SECONDS": "5",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "lms.celery", "worker", "--pool", "solo"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _snapshot(session):
    intervals = sorted(
        PresenceInterval.objects.filter(session=session).values_list(
            "user_id", "source", "started_at", "ended_at", "is_open", "connections"
        )
    )
    marks = sorted(
        AttendanceMark.objects.filter(session=session).values_list(
            "user_id", "status", "computed_status", "attended_seconds", "share", "flags",
            "first_join_at", "last_leave_at",
        )
    )  # fmt: skip
    return intervals, marks


@pytest.mark.django_db(transaction=True)
def test_kill_9_during_folding_loses_no_event_and_changes_no_mark(
    school, teacher, settings, tmp_path
):
    from lms.celery import app

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE}
    }
    settings.ATTENDANCE_FOLD_DELAY_SECONDS = 0
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    app.control.purge()

    students = [member(school, "student") for _ in range(30)]
    course = f.course_with(school, teacher, students)
    session = f.lesson(course, minutes_ago=85, length=90, status="live")  # every stay is past
    rng = random.Random(11)
    events = []
    for student in students:
        for stay in range(rng.randint(2, 6)):
            start = session.starts_at + timedelta(minutes=rng.randint(-5, 60))
            end = start + timedelta(minutes=rng.randint(1, 20))
            for kind, at in (("joined", start), ("left", end)):
                events.append((student, kind, at, f"c{stay}"))
    events += rng.sample(events, 40)  # duplicates: a sender's retries
    rng.shuffle(events)

    log = tmp_path / "worker.log"
    worker = _start_worker(log)
    accepted = []

    def stream():
        for student, kind, at, connection_id in events:
            accepted.append(
                services.event_record(
                    source="event_sync",
                    kind=kind,
                    occurred_at=at,
                    session=session,
                    user=student,
                    occupant_id=str(student.pk),
                    connection_id=connection_id,
                )
            )
            time.sleep(0.08)  # a stream long enough to kill the worker in its middle
        connection.close()

    try:
        sender = threading.Thread(target=stream)
        sender.start()
        # Kill the worker once it is folding: some events folded, others still waiting.
        _wait(lambda: PresenceEvent.objects.filter(folded=True).exists(), 90, "the worker to fold")
        streaming = sender.is_alive()
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        killed_at = PresenceEvent.objects.count()
        killed_with = PresenceEvent.objects.filter(folded=False).count()
        sender.join(120)
        assert not sender.is_alive()
        # Killed while events kept coming and tasks kept being queued for it.
        assert streaming and PresenceEvent.objects.count() > killed_at
        worker = _start_worker(log)
        time.sleep(6)  # past ATTENDANCE_SWEEP_AFTER_SECONDS for the worker's sweep
        from attendance import tasks

        tasks.every_minute.delay()
        _wait(
            lambda: not PresenceEvent.objects.filter(folded=False).exists(),
            120,
            "every accepted event to be folded: " + log.read_text()[-2000:],
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None

    assert len([e for e in accepted if e is not None]) == len(events)
    assert PresenceEvent.objects.filter(session=session).count() == len(events)
    folded_by_worker, _ = _snapshot(session)
    session.status = "ended"
    session.save()
    services.marks_compute(session=session)
    after_kill = _snapshot(session)

    # A clean run: nothing folded, no marks; fold everything at once and compute again.
    AttendanceMark.objects.filter(session=session).delete()
    PresenceInterval.objects.filter(session=session).delete()
    PresenceEvent.objects.filter(session=session).update(folded=False)
    session.status = "live"
    session.save()
    services.presence_refold(session=session, user_ids=[s.pk for s in students])
    clean_folded, _ = _snapshot(session)
    assert folded_by_worker == clean_folded
    session.status = "ended"
    session.save()
    services.marks_compute(session=session)
    assert _snapshot(session) == after_kill
    print(f"killed the worker with {killed_with} of {len(events)} events unfolded")
