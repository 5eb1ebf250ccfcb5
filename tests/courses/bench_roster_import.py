"""Timings of a 1,000-row roster import. Not part of the suite (no test_ prefix); run:

    make bench   (or: .venv/bin/python -m pytest tests/courses/bench_roster_import.py -s)

It prints figures and asserts nothing about time.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from tests.factories.courses import bulk_members, roster_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("new_share", [0.0, 0.5, 1.0], ids=["all-members", "half-new", "all-new"])
def test_bench_import_1000_rows(course, school, teacher, new_share, monkeypatch):
    domain = school.allowed_email_domains[0]
    new = int(1000 * new_share)
    existing = bulk_members(school, 1000 - new)
    rows = [(u.email, u.full_name, "student") for u in existing]
    rows += [(f"moi{i}@{domain}", f"Người mới {i}", "student") for i in range(new)]
    data = roster_csv(rows)

    started = time.perf_counter()
    upload, _rows = services.roster_import_upload(course=course, data=data, by=teacher)
    preview = time.perf_counter() - started

    hook_seconds = 0.0
    from lms import hooks

    original = hooks.run

    def timed(name, **kwargs):
        nonlocal hook_seconds
        t = time.perf_counter()
        original(name, **kwargs)
        hook_seconds += time.perf_counter() - t

    monkeypatch.setattr(hooks, "run", timed)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = services.roster_import_apply(upload=upload, by=teacher)
    apply = time.perf_counter() - started
    print(
        f"\n[bench] 1,000 rows, {new} new: preview {preview:.2f}s; apply {apply:.2f}s "
        f"({len(queries)} queries; of which other apps' hooks {hook_seconds:.2f}s); "
        f"enrolled {result['enrolled']}, invited {result['invited']}"
    )
