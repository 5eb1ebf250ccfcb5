"""The parts that talk to real services: a Celery worker on a real broker, and S3 storage."""

import socket
import tempfile
import time

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from lms import services
from lms.models import Role


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _reset_connections(app) -> None:
    # Connection and producer pools are built from the broker URL on first use; drop them so the
    # next message goes to the broker configured now.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_on_broker():
    """A real worker thread consuming from Redis (or the filesystem transport without Redis)."""
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app

    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    if _redis_reachable():
        broker_url, options = "redis://127.0.0.1:6379/15", {}
    else:
        folder = tempfile.mkdtemp(prefix="lophoc-broker-")
        broker_url = "filesystem://"
        options = {"data_folder_in": folder, "data_folder_out": folder}
    app.conf.update(
        broker_url=broker_url, task_always_eager=False, broker_transport_options=options
    )
    _reset_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=5):
            yield broker_url
    finally:
        app.conf.update(saved)
        _reset_connections(app)


@pytest.mark.django_db(transaction=True)
def test_invitation_mail_is_sent_by_a_real_worker(celery_worker_on_broker, school, admin_user):
    _invitation, raw = services.invitation_create(
        school=school, email="worker@example.test", role=Role.TEACHER, invited_by=admin_user
    )
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1, f"no mail from the worker on {celery_worker_on_broker}"
    assert raw in mail.outbox[0].body


@pytest.mark.s3
@pytest.mark.django_db
def test_files_round_trip_through_s3_and_healthz_checks_it(s3_storage, client):
    from django.core.files.storage import default_storage

    name = default_storage.save("probe/lớp-học.txt", ContentFile("Xin chào".encode()))
    with default_storage.open(name) as handle:
        assert handle.read().decode() == "Xin chào"
    listing = s3_storage["client"].list_objects_v2(Bucket=s3_storage["bucket_name"])
    assert any(obj["Key"] == name for obj in listing.get("Contents", []))
    url = default_storage.url(name)
    assert "X-Amz-Signature" in url  # private: only presigned URLs
    default_storage.delete(name)

    from tests.factories.lms import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))  # the deep check: operators
    response = client.get("/healthz", {"deep": "1"})
    assert response.json()["checks"]["storage"]["ok"] is True
