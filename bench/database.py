"""The database a benchmark runs on: made afresh and migrated before the run, dropped after it
unless kept."""

import os
import subprocess
import sys
from pathlib import Path

from lms.devservers import drop_database, recreate_database

ROOT = Path(__file__).resolve().parents[1]


def set_up(env: dict[str, str]) -> None:
    """Recreate and migrate env's DATABASE_URL, then set Django up on it in this process.

    env goes into this process's environment too, so that Django here and the servers started
    afterwards read the same settings.
    """
    os.environ.update(env)
    recreate_database(env["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    import django

    django.setup()


def tear_down(url: str, *, keep: bool) -> None:
    from django.db import connections

    connections.close_all()
    if not keep:
        drop_database(url)
