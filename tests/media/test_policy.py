"""What the storage itself refuses: bytes beyond the slot's size, and expired links."""

import time
from datetime import timedelta

from django.utils import timezone

from media import services
from media.models import Purpose, StoredFile

from .conftest import pdf_bytes


def slot_for(user, school, size):
    return services.upload_slot_create(
        by=user,
        school=school,
        purpose=Purpose.OTHER,
        name="notes.pdf",
        size=size,
        content_type="application/pdf",
    )


def test_more_bytes_than_announced_are_refused_by_the_upload_policy(
    storage, backend, student, school, sender
):
    slot = slot_for(student, school, 1000)
    # SeaweedFS enforces content-length-range (EntityTooLarge); the local upload view too.
    assert sender.post(slot, pdf_bytes(5000)) == 400
    assert backend.size(StoredFile.objects.get(pk=slot["file_id"]).key) is None


def test_fewer_bytes_than_announced_are_refused_too(storage, backend, student, school, sender):
    slot = slot_for(student, school, 1000)
    assert sender.post(slot, pdf_bytes(999)) == 400
    assert sender.post(slot, b"") == 400
    assert backend.size(StoredFile.objects.get(pk=slot["file_id"]).key) is None


def test_a_wrong_size_that_reached_storage_is_still_rejected_at_completion(
    storage, backend, student, school, django_capture_on_commit_callbacks
):
    """Verification never relies on the policy alone (a storage might not enforce it)."""
    slot = slot_for(student, school, 1000)
    key = StoredFile.objects.get(pk=slot["file_id"]).key
    if storage == "s3":
        backend.client.put_object(Bucket=backend.bucket, Key=key, Body=pdf_bytes(1500))
    else:
        backend.write_object(key, [pdf_bytes(1500)])
    with django_capture_on_commit_callbacks(execute=True):
        file = services.upload_complete(by=student, file_id=slot["file_id"])
    assert file.state == "rejected" and file.reason == "size_mismatch"
    assert backend.size(key) is None


def test_a_zero_byte_object_is_rejected(storage, backend, student, school):
    slot = slot_for(student, school, 10)
    key = StoredFile.objects.get(pk=slot["file_id"]).key
    if storage == "s3":
        backend.client.put_object(Bucket=backend.bucket, Key=key, Body=b"")
    else:
        backend.write_object(key, [b""])
    file = services.upload_complete(by=student, file_id=slot["file_id"])
    assert file.state == "rejected" and file.reason == "empty"


def test_download_links_expire(storage, settings, student, school, sender):
    settings.MEDIA_DOWNLOAD_TTL_SECONDS = 1
    data = pdf_bytes(1000)
    slot = slot_for(student, school, len(data))
    sender.post(slot, data)
    file = services.upload_complete(by=student, file_id=slot["file_id"])
    url = services.download_url(file=file)
    assert sender.get(url)[0] == 200
    time.sleep(2.2)
    assert sender.get(url)[0] == 403


def test_local_upload_links_expire(local_storage, student, school, sender, monkeypatch):
    data = pdf_bytes(1000)
    slot = slot_for(student, school, len(data))
    # Pretend an hour and a minute passed since the slot was handed out.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3660)
    assert sender.post(slot, data) == 403
    monkeypatch.undo()
    assert sender.post(slot, data) == 204


def test_stray_bytes_under_uploads_are_removed_after_a_day(storage, backend, student, school):
    from media.services.uploads import UPLOADS

    stray = f"{UPLOADS}stray/object"
    if storage == "s3":
        backend.client.put_object(Bucket=backend.bucket, Key=stray, Body=b"left behind")
    else:
        backend.write_object(stray, [b"left behind"])
    services.uploads_remove_abandoned()
    assert backend.size(stray) is not None  # recent: may still be in use
    services.uploads_remove_abandoned(now=timezone.now() + timedelta(days=1, minutes=1))
    assert backend.size(stray) is None


def test_server_made_files_are_written_in_chunks(storage, backend):
    chunks = [b"%PDF-1.7\n", b"a" * 3 * 1024 * 1024, b"end"]
    backend.write_object("files/server/made.pdf", iter(chunks), content_type="application/pdf")
    assert backend.size("files/server/made.pdf") == sum(len(c) for c in chunks)
    assert b"".join(backend.chunks("files/server/made.pdf")) == b"".join(chunks)
