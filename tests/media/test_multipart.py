"""Large files go up in parts and resume after an interruption; abandoned uploads are removed."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from lms.errors import ServiceError
from media import services
from media.models import Purpose, StoredFile

from .conftest import MiB, pdf_bytes

PART = 5 * MiB


@pytest.fixture(autouse=True)
def small_parts(settings):
    settings.MEDIA_MULTIPART_THRESHOLD = PART
    settings.MEDIA_PART_SIZE = PART


def multipart_slot(user, school, size):
    return services.upload_slot_create(
        by=user,
        school=school,
        purpose=Purpose.SUBMISSION,
        name="luận văn.pdf",
        size=size,
        content_type="application/pdf",
    )


def test_multipart_upload_resumes_after_an_interrupted_part(storage, student, school, sender):
    data = pdf_bytes(2 * PART + 12345)
    slot = multipart_slot(student, school, len(data))
    assert slot["method"] == "multipart" and slot["part_size"] == PART
    assert [p["part_number"] for p in slot["parts"]] == [1, 2, 3]
    chunks = [data[i : i + PART] for i in range(0, len(data), PART)]

    assert sender.put(slot["parts"][0]["url"], chunks[0]) == 200
    # The connection drops during part 2 and the tab is closed: the client forgets the slot.
    # (Storage keeps only whole parts; a half-sent part is simply not there.)
    with pytest.raises(ServiceError) as error:
        services.upload_complete(by=student, file_id=slot["file_id"])
    assert error.value.code == "incomplete"

    state = services.upload_parts(by=student, file_id=slot["file_id"])
    assert [p["part_number"] for p in state["done"]] == [1]
    assert [p["part_number"] for p in state["missing"]] == [2, 3]
    for part in state["missing"]:
        assert sender.put(part["url"], chunks[part["part_number"] - 1]) == 200

    file = services.upload_complete(by=student, file_id=slot["file_id"])
    assert file.state == StoredFile.State.VERIFIED
    assert file.sha256 == hashlib.sha256(data).hexdigest()
    assert file.upload_id == ""
    status, body, _headers = sender.get(services.download_url(file=file))
    assert status == 200 and body == data


def test_a_part_of_the_wrong_size_is_refused_and_sent_again(storage, student, school, sender):
    data = pdf_bytes(PART + 100)
    slot = multipart_slot(student, school, len(data))
    # Each part URL is signed for its exact length: storage itself refuses any other.
    assert sender.put(slot["parts"][0]["url"], data[: PART // 2]) in {400, 403}
    assert sender.put(slot["parts"][0]["url"], data[: PART + 1]) in {400, 403}
    assert sender.put(slot["parts"][1]["url"], data[PART:]) == 200
    state = services.upload_parts(by=student, file_id=slot["file_id"])
    assert [p["part_number"] for p in state["missing"]] == [1]
    sender.put(state["missing"][0]["url"], data[:PART])
    assert services.upload_complete(by=student, file_id=slot["file_id"]).state == "verified"


def test_abandoned_uploads_are_removed_with_their_parts(
    storage, backend, student, school, sender, django_capture_on_commit_callbacks
):
    data = pdf_bytes(PART + 100)
    old = multipart_slot(student, school, len(data))
    sender.put(old["parts"][0]["url"], data[:PART])
    recent = multipart_slot(student, school, len(data))
    StoredFile.objects.filter(pk=old["file_id"]).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    old_file = StoredFile.objects.get(pk=old["file_id"])

    with django_capture_on_commit_callbacks(execute=True):
        from media.tasks import remove_abandoned_uploads

        assert remove_abandoned_uploads.delay().get() == 1

    assert not StoredFile.objects.filter(pk=old["file_id"]).exists()
    assert StoredFile.objects.filter(pk=recent["file_id"]).exists()
    assert backend.list_parts(old_file.key, old_file.upload_id) == {}
    assert backend.size(old_file.key) is None
    assert services.uploads_remove_abandoned() == 0
