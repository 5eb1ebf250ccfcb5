"""The periodic clean-up is scheduled with beat and runs in a real Celery worker."""

import tempfile
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from media import services
from media.models import Purpose, StoredFile


@pytest.fixture
def worker():
    """A real worker thread on a private filesystem broker (no other test run shares it)."""
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app

    keys = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    folder = tempfile.mkdtemp(prefix="lophoc-media-broker-")
    app.conf.update(
        broker_url="filesystem://",
        task_always_eager=False,
        broker_transport_options={
            "data_folder_in": folder,
            "data_folder_out": folder,
            "control_folder": f"{folder}/control",
        },
    )
    app._pool = None
    app.amqp._producer_pool = None
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=5):
            yield app
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def test_beat_runs_the_clean_up_every_hour():
    from lms.celery import app

    entry = app.conf.beat_schedule["media-remove-abandoned-uploads"]
    assert entry["task"] == "media.tasks.remove_abandoned_uploads"
    assert entry["schedule"] == 3600


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_removes_uploads_abandoned_for_a_day(
    worker, settings, tmp_path, student, school
):
    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")
    slots = [
        services.upload_slot_create(
            by=student,
            school=school,
            purpose=Purpose.OTHER,
            name=f"{n}.pdf",
            size=100,
            content_type="application/pdf",
        )
        for n in range(2)
    ]
    StoredFile.objects.filter(pk=slots[0]["file_id"]).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    from media.tasks import remove_abandoned_uploads

    remove_abandoned_uploads.delay()
    deadline = time.monotonic() + 20
    while StoredFile.objects.filter(pk=slots[0]["file_id"]).exists():
        assert time.monotonic() < deadline, "the worker did not remove the abandoned upload"
        time.sleep(0.2)
    assert StoredFile.objects.filter(pk=slots[1]["file_id"]).exists()
