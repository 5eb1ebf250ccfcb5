# ruff: noqa: F811  (the media fixtures are imported by name and used as parameters)
"""Hand-ins with files, through the API as a browser would: slot, upload, complete, draft,
submit, receipt, download; and every kind of bad file refused with nothing accepted lost.
Runs on local files and on the S3 server."""

import hashlib

import pytest
from rest_framework.test import APIClient

from grading.models import Submission
from tests.media.conftest import local_storage, pdf_bytes, sender, storage  # noqa: F401

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def upload(client, assignment, sender, data: bytes, name="Bài làm.pdf", complete=True):
    slot = client.post(
        f"/api/v1/assignments/{assignment.pk}/upload-slots/",
        {"name": name, "size": len(data), "content_type": "application/pdf"},
        format="json",
    )
    assert slot.status_code == 201, slot.content
    slot = slot.json()
    assert sender.post(slot, data, filename=name) in {200, 201, 204}
    if complete:
        done = client.post(f"/api/v1/files/{slot['file_id']}/complete/", format="json")
        assert done.status_code in (200, 201, 400), done.content
    return slot["file_id"]


@pytest.fixture
def pdf_assignment(assignment):
    assignment.allowed_extensions = ["pdf"]
    assignment.max_file_size = 2 * 1024 * 1024
    assignment.max_files = 2
    assignment.save()
    return assignment


def test_file_hand_in_receipt_and_teacher_download(storage, sender, pdf_assignment, people):
    student = api(people["student"])
    data = pdf_bytes(200_000)
    file_id = upload(student, pdf_assignment, sender, data)
    base = f"/api/v1/assignments/{pdf_assignment.pk}"
    draft = student.put(f"{base}/draft/", {"files": [file_id]}, format="json")
    assert draft.status_code == 200 and draft.json()["files"][0]["id"] == file_id
    receipt = student.post(f"{base}/submit/", {"client_key": "with-file-01"}, format="json")
    assert receipt.status_code == 201, receipt.content
    files = receipt.json()["files"]
    assert [(f["name"], f["size"]) for f in files] == [("Bài làm.pdf", len(data))]
    assert files[0]["sha256"] == hashlib.sha256(data).hexdigest()
    attempt_id = receipt.json()["attempt_id"]

    link = api(people["teacher"]).get(f"{base}/attempts/{attempt_id}/files/{file_id}/download/")
    assert link.status_code == 200
    status, body, headers = sender.get(link.json()["url"])
    assert status == 200 and body == data
    assert headers["Content-Disposition"].startswith("attachment")
    # Another student of the course cannot reach it; a teacher of another course neither.
    for who in ("other_student", "other_teacher"):
        denied = api(people[who]).get(f"{base}/attempts/{attempt_id}/files/{file_id}/download/")
        assert denied.status_code == 404


def _first_attempt(student, assignment):
    base = f"/api/v1/assignments/{assignment.pk}"
    first = student.post(
        f"{base}/submit/", {"client_key": "first-ok-01", "text": "Bài 1"}, format="json"
    )
    assert first.status_code == 201
    return first.json()


def _refused(student, assignment, body, status=400):
    response = student.post(
        f"/api/v1/assignments/{assignment.pk}/submit/",
        {"client_key": "refused-key-1", **body},
        format="json",
    )
    assert response.status_code == status, response.content
    data = response.json()
    assert data["detail"] and data["code"]
    return data


def test_bad_files_are_refused_and_the_accepted_attempt_stays(
    local_storage, sender, pdf_assignment, people
):
    student = api(people["student"])
    first = _first_attempt(student, pdf_assignment)

    exe = b"MZ\x90\x00" + b"\x00" * 4000
    rejected = upload(student, pdf_assignment, sender, exe, name="virus.pdf")
    assert _refused(student, pdf_assignment, {"files": [rejected]})["code"] == "file_not_verified"

    unfinished = upload(student, pdf_assignment, sender, pdf_bytes(3000), complete=False)
    assert _refused(student, pdf_assignment, {"files": [unfinished]})["code"] == (
        "file_not_verified"
    )

    theirs = upload(api(people["other_student"]), pdf_assignment, sender, pdf_bytes(3000))
    _refused(student, pdf_assignment, {"files": [theirs]}, status=404)

    ok = [upload(student, pdf_assignment, sender, pdf_bytes(2000)) for _ in range(3)]
    assert _refused(student, pdf_assignment, {"files": ok})["code"] == "too_many_files"
    _refused(student, pdf_assignment, {"files": ["x"]})

    submitted = Submission.objects.filter(state="submitted")
    assert [(s.pk, s.text, s.files.count()) for s in submitted] == [
        (first["attempt_id"], "Bài 1", 0)
    ]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "empty.pdf", "size": 0}, "empty"),
        ({"name": "big.pdf", "size": 3 * 1024 * 1024}, "too_large"),
        ({"name": "notes.docx", "size": 1000}, None),
        ({"name": "bad\x00.pdf", "size": 1000}, "invalid"),
        ({"name": "..\\../etc/\x07pass\twd.pdf", "size": 1000}, "ok"),
    ],
)
def test_upload_slots_apply_the_assignment_limits(
    local_storage, pdf_assignment, people, body, code
):
    response = api(people["student"]).post(
        f"/api/v1/assignments/{pdf_assignment.pk}/upload-slots/", body, format="json"
    )
    if code == "ok":
        # Path separators and control characters are stripped from the stored name.
        assert response.status_code == 201, response.content
        from media.models import StoredFile

        name = StoredFile.objects.get(pk=response.json()["file_id"]).name
        assert not set(name) & set("/\\\x07\t") and name.endswith(".pdf")
        return
    assert response.status_code == 400, response.content
    if code:
        assert response.json()["code"] == code


def test_upload_slots_are_for_students_of_the_course(local_storage, pdf_assignment, people):
    url = f"/api/v1/assignments/{pdf_assignment.pk}/upload-slots/"
    body = {"name": "a.pdf", "size": 1000}
    assert api(people["teacher"]).post(url, body, format="json").status_code == 403
    for who in ("other_teacher", "other_admin", "outsider_student"):
        assert api(people[who]).post(url, body, format="json").status_code == 404


def test_text_only_assignment_takes_no_files(local_storage, sender, assignment, people):
    assignment.submission_type = "text"
    assignment.save()
    response = api(people["student"]).post(
        f"/api/v1/assignments/{assignment.pk}/upload-slots/",
        {"name": "a.pdf", "size": 1000},
        format="json",
    )
    assert response.status_code == 400 and "text only" in response.json()["detail"]


def test_files_only_needs_a_file(local_storage, assignment, people):
    assignment.submission_type = "files"
    assignment.save()
    data = _refused(api(people["student"]), assignment, {})
    assert "add a file" in data["detail"]
