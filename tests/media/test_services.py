"""Upload, verification and download through media.services, on local files and on S3."""

import hashlib
import os

import pytest
from django.utils import translation

from lms.errors import NotFound, ServiceError
from media import services
from media.models import Purpose, StoredFile
from tests.factories.lms import member

from .conftest import MiB, pdf_bytes


def slot_for(user, school, name="Bài tập 1.pdf", size=1000, **extra):
    return services.upload_slot_create(
        by=user,
        school=school,
        purpose=extra.pop("purpose", Purpose.SUBMISSION),
        name=name,
        size=size,
        content_type=extra.pop("content_type", "application/pdf"),
        **extra,
    )


def test_presigned_post_upload_is_verified_and_downloads_as_attachment(
    storage, student, school, sender
):
    data = pdf_bytes(300_000)
    slot = slot_for(student, school, size=len(data))
    assert slot["method"] == "post"
    assert sender.post(slot, data) in {200, 201, 204}

    file = services.upload_complete(by=student, file_id=slot["file_id"])

    assert file.state == StoredFile.State.VERIFIED
    assert file.content_type == "application/pdf"
    assert file.sha256 == hashlib.sha256(data).hexdigest()
    assert file.name == "Bài tập 1.pdf" and file.verified_at is not None
    status, body, headers = sender.get(services.download_url(file=file))
    assert status == 200 and body == data
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "B%C3%A0i%20t%E1%BA%ADp%201.pdf" in disposition


def test_completing_twice_returns_the_same_verified_file(storage, student, school, sender):
    data = pdf_bytes(2000)
    slot = slot_for(student, school, size=len(data))
    sender.post(slot, data)
    first = services.upload_complete(by=student, file_id=slot["file_id"])
    again = services.upload_complete(by=student, file_id=slot["file_id"])
    assert again.pk == first.pk and again.sha256 == first.sha256


def test_the_upload_link_cannot_replace_bytes_already_checked(storage, student, school, sender):
    data = pdf_bytes(4000)
    slot = slot_for(student, school, size=len(data))
    sender.post(slot, data)
    file = services.upload_complete(by=student, file_id=slot["file_id"])
    # The slot's POST is still valid: sending other bytes with it changes nothing checked.
    sender.post(slot, b"MZ" + os.urandom(len(data) - 2))
    assert services.upload_complete(by=student, file_id=file.pk).sha256 == file.sha256
    status, body, _headers = sender.get(services.download_url(file=file))
    assert status == 200 and body == data


def test_an_exe_renamed_pdf_is_rejected_and_its_bytes_deleted(
    storage, backend, student, school, sender, django_capture_on_commit_callbacks
):
    data = b"MZ\x90\x00\x03" + os.urandom(5000)
    slot = slot_for(student, school, name="homework.pdf", size=len(data))
    sender.post(slot, data)

    with django_capture_on_commit_callbacks(execute=True):
        file = services.upload_complete(by=student, file_id=slot["file_id"])

    assert file.state == StoredFile.State.REJECTED
    assert file.reason == StoredFile.Reason.TYPE_MISMATCH
    with translation.override("en"):
        assert "does not match" in str(file.get_reason_display())
    with translation.override("vi"):
        assert "không khớp" in str(file.get_reason_display())
    assert backend.size(file.key) is None
    with pytest.raises(ServiceError) as error:
        services.files_for_use(by=student, ids=[file.pk], purpose=Purpose.SUBMISSION)
    assert error.value.code == "file_not_verified"


def test_an_upload_that_never_arrived_stays_pending_with_a_clear_error(storage, student, school):
    slot = slot_for(student, school)
    with pytest.raises(ServiceError) as error:
        services.upload_complete(by=student, file_id=slot["file_id"])
    assert error.value.code == "incomplete"
    assert StoredFile.objects.get(pk=slot["file_id"]).state == StoredFile.State.PENDING


def test_someone_elses_file_is_not_found(storage, student, school, sender):
    data = pdf_bytes(2000)
    slot = slot_for(student, school, size=len(data))
    sender.post(slot, data)
    other = member(school, "student")
    with pytest.raises(NotFound):
        services.upload_complete(by=other, file_id=slot["file_id"])
    services.upload_complete(by=student, file_id=slot["file_id"])
    with pytest.raises(NotFound):
        services.files_for_use(by=other, ids=[slot["file_id"]], purpose=Purpose.SUBMISSION)
    with pytest.raises(NotFound):
        services.upload_parts(by=other, file_id=slot["file_id"])
    with pytest.raises(NotFound):
        services.upload_abort(by=other, file_id=slot["file_id"])


def test_files_for_use_checks_purpose_type_and_size(storage, student, school, sender):
    data = pdf_bytes(5000)
    slot = slot_for(student, school, size=len(data))
    sender.post(slot, data)
    services.upload_complete(by=student, file_id=slot["file_id"])
    ids = [slot["file_id"]]

    files = services.files_for_use(by=student, ids=ids, purpose=Purpose.SUBMISSION)
    assert [f.pk for f in files] == ids
    for kwargs, code in [
        ({"purpose": Purpose.FEEDBACK}, "file_purpose"),
        ({"purpose": Purpose.SUBMISSION, "extensions": ["docx"]}, "type_not_allowed"),
        ({"purpose": Purpose.SUBMISSION, "max_size": 4000}, "too_large"),
    ]:
        with pytest.raises(ServiceError) as error:
            services.files_for_use(by=student, ids=ids, **kwargs)
        assert error.value.code == code


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"size": 0}, "empty"),
        ({"name": "../../\x00\x07"}, "bad_name"),
        ({"name": "virus.exe"}, "type_not_allowed"),
        ({"name": "bai.pdf", "extensions": ["docx"]}, "type_not_allowed"),
        ({"size": 10 * MiB, "max_size": 5 * MiB}, "too_large"),
    ],
)
def test_bad_slot_requests_are_refused_with_a_reason(local_storage, student, school, kwargs, code):
    with pytest.raises(ServiceError) as error:
        slot_for(student, school, **kwargs)
    assert error.value.code == code
    assert not StoredFile.objects.exists()


def test_quota_counts_pending_and_verified_files(local_storage, settings, student, school):
    settings.MEDIA_USER_QUOTA_BYTES = 10_000
    first = slot_for(student, school, size=6000)
    with pytest.raises(ServiceError) as error:
        slot_for(student, school, size=6000)
    assert error.value.code == "quota"
    services.upload_abort(by=student, file_id=first["file_id"])
    slot_for(student, school, size=6000)
    # Someone else's quota is their own.
    slot_for(member(school, "student"), school, size=6000)
