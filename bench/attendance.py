"""Attendance benchmark: ingestion against the stack's ceiling, folding by a real worker,
marks for a large lesson, and the course matrix against its raw SQL.

  .venv/bin/python bench/attendance.py [--events 60000] [--clients 4] [--workers 3]
  .venv/bin/python bench/attendance.py --only matrix [--matrix 300x35] [--matrix-runs 25]

Creates a PostgreSQL database (default postgres://postgres@127.0.0.1:5432/lophoc_bench),
migrates it, seeds a course with students and a running lesson, and serves the app with
gunicorn on 127.0.0.1 with a Celery worker on Redis (as at scale). Then, in one run:

1. the ceiling: a bare Django view on the same gunicorn + PostgreSQL that parses the body and
   inserts one row (bench/ceiling.py), posted to by the same clients;
2. ingestion: `occupant/joined|left` event_sync events as the prosody module posts them;
   events/s, its ratio to the ceiling, and the rate of the first vs the last 10% of the events
   (flat as evidence grows); meanwhile one student joins and the live roster is polled until
   it shows them (the fold is asynchronous). 1 and 2 alternate in rounds (10 by default: each
   round a tenth of each), after an untimed warm-up;
3. marks: the lesson ends; the median time to compute every student's mark;
4. the course matrix API for 300 students x 35 lessons, and the raw SQL fetch of its rows.

Everything stays on 127.0.0.1; every loop is bounded.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as `python bench/attendance.py`, this folder is first on sys.path, not the project root.
sys.path.insert(0, str(ROOT))

from bench.attendance_seed import payloads, seed  # noqa: E402
from bench.database import set_up, tear_down  # noqa: E402
from bench.load import TOKEN, children, cpu_seconds, post_all, post_all_wrk  # noqa: E402
from lms.devservers import start_gunicorn, stop  # noqa: E402


def combined(parts: list[dict]) -> dict:
    sent, elapsed = sum(p["sent"] for p in parts), sum(p["elapsed"] for p in parts)
    errors = sum(p["errors"] for p in parts)
    return {"sent": sent, "elapsed": elapsed, "errors": errors, "rate": sent / max(1e-9, elapsed)}


def median_time(fn, runs: int, before=None) -> float:
    timings = []
    for _ in range(runs):
        if before is not None:
            before()  # untimed
        began = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def roster_latency(base_url: str, session, user, deadline: float = 30.0) -> float | None:
    """Post one student's join and poll the live roster (as the teacher's page does) until it
    shows them; seconds from the accepted request to the roster showing it."""
    import requests

    from attendance import selectors

    body = json.dumps(
        {
            "event_name": "muc-occupant-joined",
            "room_name": session.room_name,
            "occupant": {
                "id": str(user.pk),
                "name": user.full_name,
                "occupant_jid": f"{session.room_name}@conference.bench/late-{user.pk}",
                "joined_at": int(time.time()),
            },
        }
    )
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    response = requests.post(f"{base_url}/occupant/joined", data=body, headers=headers, timeout=30)
    accepted = time.perf_counter()
    assert response.status_code == 200, response.text
    while time.perf_counter() - accepted < deadline:
        roster = selectors.live_roster(session)
        if any(r.user.pk == user.pk for r in roster["in_now"]):
            return time.perf_counter() - accepted
        time.sleep(0.25)
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=60_000)
    parser.add_argument("--ceiling-requests", type=int, default=20_000)
    parser.add_argument(
        "--rounds", type=int, default=10, help="ceiling and ingestion alternate in this many rounds"
    )
    parser.add_argument("--warm-up", type=int, default=1_000, help="bare requests first, untimed")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--matrix", default="300x35", help="students x lessons")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/lophoc_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--matrix-runs", type=int, default=25)
    parser.add_argument(
        "--only", choices=["matrix"], help="run only this part (seeding only what it needs)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--load",
        choices=["python", "wrk"],
        default="python",
        help="who posts: Python threads (default) or wrk, whose clients cost the server's "
        "cores far less",
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "ATTENDANCE_EVENT_SYNC_TOKEN": TOKEN,
        "DJANGO_SETTINGS_MODULE": "lms.settings",
        "CELERY_BROKER_URL": args.redis,
        "REDIS_URL": args.redis,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "0",
        "PYTHONPATH": str(ROOT),
    }
    set_up(env)
    if args.only == "matrix":
        from lms.models import School

        school = School.objects.create(name="Bench school", slug="bench")
    else:
        school = ingestion_and_marks(args, env)
    course_matrix(args, school)
    tear_down(args.database, keep=args.keep)


def ingestion_and_marks(args, env):
    """Parts 1 to 3; answers the school they ran in."""
    from django.core.cache import cache
    from django.db import connection, connections

    from attendance import services
    from attendance.models import AttendanceMark, FoldProgress, PresenceEvent, PresenceInterval
    from lms.celery import app

    app.control.purge()
    cache.clear()  # the bench's own Redis database: no claim of a purged fold left behind
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, body jsonb)"
        )
    session, users = seed(args.students)
    late_student = users[-1]
    events = payloads(session, users[:-1], args.events)
    server, port = start_gunicorn(
        "bench.ceiling:application", workers=args.workers, env=env, cwd=ROOT
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms.celery", "worker", "--pool", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1/attendance/hooks/event-sync/events"

    def rows(sql):
        def count():
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0] or 0

        return count

    def post(lines, table):
        if args.load == "wrk":
            lines = [(path.removeprefix(f"http://127.0.0.1:{port}"), body) for path, body in lines]
            stored = rows(f"SELECT max(id) FROM {table}")
            return post_all_wrk(f"http://127.0.0.1:{port}", lines, args.clients, stored)
        return post_all(lambda path: path, lines, args.clients)

    bare = [(f"http://127.0.0.1:{port}/bench/bare", body) for _kind, body in events]
    lines = [(f"{base}/occupant/{kind}", body) for kind, body in events]
    try:
        post(bare[: args.warm_up], "bench_ceiling")  # every worker started, imported, connected
        web = children(server.pid)
        latency = [None]

        def probe():
            time.sleep(5)  # under load
            latency[0] = roster_latency(base, session, late_student)
            connections.close_all()

        prober = threading.Thread(target=probe)
        # Rounds alternate the two: both meet the same machine (its speed drifts over minutes).
        used = {"ceiling": 0.0, "web": 0.0, "worker": 0.0}
        ceilings, parts = [], []
        size, bare_size = -(-len(lines) // args.rounds), args.ceiling_requests // args.rounds
        for r in range(args.rounds):
            used["ceiling"] -= cpu_seconds(web)
            ceilings.append(post(bare[r * bare_size : (r + 1) * bare_size], "bench_ceiling"))
            used["ceiling"] += cpu_seconds(web)
            used["web"] -= cpu_seconds(web)
            used["worker"] -= cpu_seconds([worker.pid])
            if r == 0:
                prober.start()
            parts.append(post(lines[r * size : (r + 1) * size], "attendance_presenceevent"))
            used["web"] += cpu_seconds(web)
            used["worker"] += cpu_seconds([worker.pid])
        prober.join(60)
        began = time.perf_counter()
        while (
            PresenceEvent.objects.filter(folded=False).exists()
            and time.perf_counter() - began < 600
        ):
            time.sleep(0.5)
        drained = time.perf_counter() - began
    finally:
        for process in (server, worker):
            stop(process)
    ceiling, ingestion = combined(ceilings), combined(parts)
    in_rounds = [p["rate"] / max(1e-9, c["rate"]) for p, c in zip(parts, ceilings, strict=True)]
    ratios = sorted(in_rounds)
    drift_free = in_rounds[-1] / max(1e-9, in_rounds[0])

    stored = PresenceEvent.objects.filter(session=session).count()
    print(
        f"ceiling: bare view inserting one row, {ceiling['sent']} requests from {args.clients} "
        f"clients ({args.load}) to gunicorn ({args.workers} workers, PostgreSQL): "
        f"{ceiling['rate']:.0f} req/s ({ceiling['errors']} non-200); "
        f"{args.rounds} rounds alternating with ingestion"
    )
    print(
        f"ingestion: {ingestion['sent']} event_sync events: {ingestion['rate']:.0f} events/s = "
        f"{ingestion['rate'] / ceiling['rate']:.0%} of the ceiling, median of the rounds "
        f"{statistics.median(ratios):.0%} (range {ratios[0]:.0%}-{ratios[-1]:.0%}) "
        f"({ingestion['errors']} non-200, {stored} stored); "
        f"first round {parts[0]['rate']:.0f}/s, last round {parts[-1]['rate']:.0f}/s "
        f"(last/first {parts[-1]['rate'] / max(1e-9, parts[0]['rate']):.2f}; each against "
        f"its round's ceiling, which takes out the machine's drift: {drift_free:.2f})"
    )
    print(
        f"CPU of the web workers: {used['ceiling'] / max(1, ceiling['sent']) * 1000:.2f} ms per "
        f"bare request, {used['web'] / max(1, ingestion['sent']) * 1000:.2f} ms per event; "
        f"the fold worker used {used['worker'] / ingestion['elapsed']:.2f} cores during ingestion"
    )
    print(
        f"folding: a real Celery worker (solo) folded alongside; the backlog drained "
        f"{drained:.1f} s after the last event; "
        f"{PresenceInterval.objects.filter(session=session).count()} intervals"
    )
    print(
        "roster: a join posted under load showed on the live roster after "
        + (f"{latency[0]:.2f} s" if latency[0] is not None else "more than 30 s")
    )

    session.refresh_from_db()
    session.status = "ended"
    session.save(update_fields=["status"])
    # The lesson's end: the folds' progress is continued (what a lesson's final marks do).
    took = median_time(lambda: services.marks_compute(session=session, final=True), args.runs)
    marks = AttendanceMark.objects.filter(session=session)
    by_status = {
        s: marks.filter(status=s).count() for s in ("present", "late", "left_early", "absent")
    }
    everything = median_time(
        lambda: services.marks_compute(session=session, final=True),
        args.runs,
        before=lambda: FoldProgress.objects.filter(session=session).delete(),
    )
    print(
        f"marks: {marks.count()} students, {stored} events: median {took:.2f} s "
        f"over {args.runs} runs, continuing the folds' progress; {everything:.2f} s from all "
        f"the evidence (no progress); {by_status}"
    )
    return session.course.school


# What the matrix response carries, fetched as plainly as PostgreSQL can: every mark, and the
# names and e-mails of the students and the start of each lesson (the API writes those too, so
# the raw side reads them too; the request's own session, user and role queries are not here).
RAW_SQL = (
    "SELECT session_id, user_id, status, override_status, is_final "
    "FROM attendance_attendancemark WHERE course_id = %(course)s",
    "SELECT u.id, u.full_name, u.email FROM courses_enrollment e "
    "JOIN lms_user u ON u.id = e.user_id "
    "WHERE e.course_id = %(course)s AND e.role = 'student' AND e.status = 'active'",
    "SELECT id, starts_at FROM classrooms_livesession WHERE course_id = %(course)s",
)


def course_matrix(args, school) -> None:
    """Part 4: the matrix API beside the raw fetch of its rows, timed in alternating turns."""
    from django.db import connection
    from django.test import Client

    from bench.attendance_seed import seed_matrix
    from lms.models import Membership, User

    rows, lessons = (int(x) for x in args.matrix.split("x"))
    course = seed_matrix(school, rows, lessons)
    admin = User.objects.create(email="admin@bench.test", full_name="Quản trị", password="!")
    Membership.objects.create(user=admin, school=course.school, role="admin")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    url = f"/api/v1/attendance/courses/{course.pk}/matrix/"
    assert client.get(url).status_code == 200

    def fetch_api():
        response = client.get(url)
        assert response.status_code == 200

    def fetch_sql():
        with connection.cursor() as cursor:
            out = []
            for sql in RAW_SQL:
                cursor.execute(sql, {"course": course.pk})
                out.append(cursor.fetchall())
            return out

    def fetch_marks():  # the marks alone, as issue #11 first measured
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL[0], {"course": course.pk})
            return cursor.fetchall()

    cells = len(fetch_marks())
    for _ in range(3):  # warm both sides
        fetch_api()
        fetch_sql()
    api, raw, marks = [], [], []
    for _ in range(args.matrix_runs):
        for fn, into in ((fetch_api, api), (fetch_sql, raw), (fetch_marks, marks)):
            began = time.perf_counter()
            fn()
            into.append(time.perf_counter() - began)

    def ms(timings):
        return f"{statistics.median(timings) * 1000:.0f} ms (min {min(timings) * 1000:.0f})"

    print(
        f"course matrix: {rows} students x {lessons} lessons ({cells} marks), "
        f"{args.matrix_runs} alternating runs: API {ms(api)}, raw SQL fetch {ms(raw)}; "
        f"ratio {statistics.median(api) / statistics.median(raw):.1f}x of medians, "
        f"{min(api) / min(raw):.1f}x of minimums (the marks alone: {ms(marks)})"
    )

    tear_down(args.database, keep=args.keep)


if __name__ == "__main__":
    main()
