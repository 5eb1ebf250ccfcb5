# ruff: noqa: F811  (the media fixtures are imported by name and used as parameters)
""" "Download all": the zip holds each student's latest hand-in, with progress and a download
link for the requester only; on local files and on the S3 server."""

import io
import zipfile

import pytest
from rest_framework.test import APIClient

from tests.media.conftest import local_storage, pdf_bytes, sender, storage  # noqa: F401
from tests.media.test_worker import worker  # noqa: F401

from .assign_fixtures import *  # noqa: F403
from .test_submissions_files import upload

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient(headers={"accept-language": "en"})
    client.force_authenticate(user)
    return client


def test_download_all_zip(storage, sender, assignment, people, django_capture_on_commit_callbacks):
    student, other = api(people["student"]), api(people["other_student"])
    base = f"/api/v1/assignments/{assignment.pk}"
    data = pdf_bytes(50_000)
    file_id = upload(student, assignment, sender, data, name="Bài 1.pdf")
    student.post(f"{base}/submit/", {"client_key": "zip-key-001", "text": "cũ"}, format="json")
    student.post(
        f"{base}/submit/",
        {"client_key": "zip-key-002", "text": "mới", "files": [file_id]},
        format="json",
    )
    other.post(f"{base}/submit/", {"client_key": "zip-key-003", "text": "bạn"}, format="json")

    teacher = api(people["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        started = teacher.post(f"{base}/archives/")
    assert started.status_code == 202
    status = teacher.get(f"{base}/archives/{started.json()['id']}/").json()
    assert status["state"] == "done" and status["done"] == status["total"] == 2
    assert status["percent"] == 100
    code, body, headers = sender.get(status["download"])
    assert code == 200 and headers["Content-Disposition"].startswith("attachment")
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    mine = f"{people['student'].full_name} ({people['student'].email})"
    assert f"{mine}/answer.txt" in names and f"{mine}/01 Bài 1.pdf" in names
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert archive.read(f"{mine}/answer.txt").decode() == "mới"
    assert archive.read(f"{mine}/01 Bài 1.pdf") == data
    # Only the requester sees this archive; students cannot ask for one.
    admin = api(people["admin"])
    assert admin.get(f"{base}/archives/{started.json()['id']}/").status_code == 404
    assert student.post(f"{base}/archives/").status_code == 403
    assert api(people["other_teacher"]).post(f"{base}/archives/").status_code == 404


def test_archive_page_flow(local_storage, assignment, people, django_capture_on_commit_callbacks):
    from django.test import Client

    client = Client(headers={"accept-language": "en"})
    client.force_login(people["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/assignments/{assignment.pk}/archives/")
    assert response.status_code == 302
    page = client.get(f"/assignments/{assignment.pk}/submissions/")
    assert b'data-testid="archive-link"' in page.content
    archive = assignment.archives.get()
    download = client.get(f"/assignments/{assignment.pk}/archives/{archive.pk}/download/")
    assert download.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_zip_while_the_status_shows_progress(
    worker, local_storage, assignment, people
):
    import time

    from grading.services.submissions import submission_submit

    for who in ("student", "other_student"):
        submission_submit(
            by=people[who], assignment=assignment, client_key=f"worker-{who}", text=who
        )
    teacher = api(people["teacher"])
    base = f"/api/v1/assignments/{assignment.pk}"
    started = teacher.post(f"{base}/archives/").json()
    assert started["state"] == "queued"
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = teacher.get(f"{base}/archives/{started['id']}/").json()
        seen.append(status["state"])
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert status["state"] == "done", seen
    assert status["total"] == 2 and status["download"]
