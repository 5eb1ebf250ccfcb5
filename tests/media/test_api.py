"""The owner's file API: slots, completion, resume, abort, detail, download; errors as JSON."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from media import services
from media.models import Purpose, StoredFile
from tests.factories.lms import SchoolFactory, member

from .conftest import pdf_bytes


@pytest.fixture
def owner_client(api_client, student):
    api_client.force_authenticate(student)
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return api_client


def ask_slot(client, **body):
    body = {"name": "Bài 1.pdf", "size": 2000, "content_type": "application/pdf"} | body
    return client.post("/api/v1/files/", body, format="json")


def test_owner_uploads_completes_and_downloads(storage, owner_client, student, sender):
    data = pdf_bytes(2000)
    answer = ask_slot(owner_client, size=len(data))
    assert answer.status_code == 201, answer.json()
    slot = answer.json()
    assert sender.post(slot, data) == 204
    file_id = slot["file_id"]

    done = owner_client.post(f"/api/v1/files/{file_id}/complete/")
    assert done.status_code == 200
    assert done.json()["state"] == "verified" and done.json()["purpose"] == "other"
    assert owner_client.get(f"/api/v1/files/{file_id}/").json()["sha256"] == done.json()["sha256"]
    redirect = owner_client.get(f"/api/v1/files/{file_id}/download/")
    assert redirect.status_code == 302
    link = owner_client.get(f"/api/v1/files/{file_id}/download/?redirect=false").json()
    status, body, headers = sender.get(link["url"])
    assert status == 200 and body == data
    assert headers["Content-Disposition"].startswith("attachment")
    assert owner_client.post(f"/api/v1/files/{file_id}/abort/").status_code == 409


def test_a_rejected_file_answers_400_with_the_reason(local_storage, owner_client, sender):
    data = b"MZ" + b"\x00" * 998
    slot = ask_slot(owner_client, name="report.pdf", size=len(data)).json()
    sender.post(slot, data)
    answer = owner_client.post(f"/api/v1/files/{slot['file_id']}/complete/")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "rejected_type_mismatch"
    assert "does not match" in body["detail"]
    assert body["file"]["state"] == "rejected"


def test_unfinished_upload_answers_400_incomplete(local_storage, owner_client):
    slot = ask_slot(owner_client).json()
    answer = owner_client.post(f"/api/v1/files/{slot['file_id']}/complete/")
    assert answer.status_code == 400 and answer.json()["code"] == "incomplete"
    parts = owner_client.get(f"/api/v1/files/{slot['file_id']}/parts/").json()
    assert parts["method"] == "post" and parts["slot"]["file_id"] == slot["file_id"]
    assert owner_client.post(f"/api/v1/files/{slot['file_id']}/abort/").status_code == 204
    assert not StoredFile.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"size": 0}, "size"),
        ({"size": -5}, "size"),
        ({"size": "lots"}, "size"),
        ({"name": "/\\\t\x01"}, "name"),
        ({"name": "setup.exe"}, "name"),
        ({"purpose": "submission"}, "purpose"),
        ({"school": "nowhere"}, "school"),
    ],
)
def test_bad_slot_requests_get_a_clear_4xx(local_storage, owner_client, body, field):
    answer = ask_slot(owner_client, **body)
    assert answer.status_code in {400, 404}
    data = answer.json()
    assert data["detail"] and field in data["fields"]


def test_school_must_be_named_when_the_owner_has_several(local_storage, api_client, school):
    person = member(school, "teacher")
    other = SchoolFactory()
    from lms.models import Membership

    Membership.objects.create(user=person, school=other, role="teacher")
    api_client.force_authenticate(person)
    assert ask_slot(api_client).json()["code"] == "school_required"
    slot = ask_slot(api_client, school=other.slug).json()
    assert StoredFile.objects.get(pk=slot["file_id"]).school == other


def test_someone_elses_file_is_404_on_every_route(local_storage, api_client, student, school):
    slot = ask_file(student, school)
    api_client.force_authenticate(member(school, "student"))
    for method, suffix in [
        ("get", ""),
        ("post", "complete/"),
        ("get", "parts/"),
        ("post", "abort/"),
        ("get", "download/"),
    ]:
        answer = getattr(api_client, method)(f"/api/v1/files/{slot['file_id']}/{suffix}")
        assert answer.status_code == 404, suffix
        assert answer.json()["code"] == "not_found"
    assert StoredFile.objects.filter(pk=slot["file_id"]).exists()


def test_anonymous_gets_401_or_403(local_storage, api_client):
    assert api_client.get("/api/v1/files/").status_code in {401, 403}
    assert ask_slot(api_client).status_code in {401, 403}


def ask_file(user, school, size=2000):
    return services.upload_slot_create(
        by=user,
        school=school,
        purpose=Purpose.OTHER,
        name="x.pdf",
        size=size,
        content_type="application/pdf",
    )


@pytest.mark.parametrize("count", [3, 30])
def test_listing_own_files_takes_constant_queries(
    local_storage, owner_client, student, school, count
):
    for _ in range(count):
        ask_file(student, school, size=10)
    ask_file(member(school, "student"), school)
    with CaptureQueriesContext(connection) as queries:
        answer = owner_client.get("/api/v1/files/")
    assert answer.json()["count"] == count
    # session-free (forced) auth: count query + page query
    assert len(queries) == 2


def test_schema_documents_the_file_endpoints_without_warnings(db, capsys):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in [
        "/api/v1/files/",
        "/api/v1/files/{id}/",
        "/api/v1/files/{id}/complete/",
        "/api/v1/files/{id}/parts/",
        "/api/v1/files/{id}/abort/",
        "/api/v1/files/{id}/download/",
    ]:
        assert path in schema["paths"], path
    ours = [
        line
        for line in capsys.readouterr().err.splitlines()
        if "media/" in line and "could not resolve authenticator" not in line
    ]
    assert ours == []
