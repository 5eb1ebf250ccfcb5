"""The assignments API: who may call what (404 outside the course, 403 inside without the
capability), the flows, bad input as clear 4xx, and the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grading.models import Submission
from grading.services.submissions import submission_submit

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_teacher", "other_admin", "outsider_student")


def client_for(user):
    client = APIClient(headers={"accept-language": "en"})
    if user is not None:
        client.force_authenticate(user)
    return client


def _call(user, method, url, data=None):
    return getattr(client_for(user), method)(url, data, format="json")


def routes(assignment, student, teacher):
    """(method, url, body, expected status per role) for every endpoint."""
    attempt, _ = submission_submit(
        by=student, assignment=assignment, client_key="fixture-key-1", text="Bài"
    )
    a = f"/api/v1/assignments/{assignment.pk}"
    due = (timezone.now() + timedelta(days=9)).isoformat()
    read = {"teacher": 200, "admin": 200, "student": 200, "other_student": 200}
    staff_read = {"teacher": 200, "admin": 200, "student": 403, "other_student": 403}
    manage = {"teacher": 200, "admin": 403, "student": 403, "other_student": 403}
    student_only = {"teacher": 403, "admin": 403, "student": 200, "other_student": 200}
    return [
        ("get", f"/api/v1/courses/{assignment.course_id}/assignments/", None, read),
        (
            "post",
            f"/api/v1/courses/{assignment.course_id}/assignments/",
            {"title": "Bài mới", "due_at": due},
            manage | {"teacher": 201},
        ),
        ("get", f"{a}/", None, read),
        ("patch", f"{a}/", {"points": "8.5"}, manage),
        ("post", f"{a}/publish/", None, manage),
        ("get", f"{a}/submissions/", None, staff_read),
        ("get", f"{a}/students/{student.pk}/attempts/", None, staff_read),
        ("put", f"{a}/extensions/{student.pk}/", {"due_at": due, "reason": "Ốm"}, manage),
        ("get", f"{a}/draft/", None, student_only),
        ("put", f"{a}/draft/", {"text": "nháp"}, student_only),
        ("get", f"{a}/attempts/", None, student_only),
        (
            "get",
            f"{a}/attempts/{attempt.pk}/",
            None,
            {"teacher": 200, "admin": 200, "student": 200, "other_student": 404},
        ),
        ("post", f"{a}/unpublish/", None, manage | {"teacher": 400}),
    ]


def test_access_matrix(assignment, people):
    for method, url, body, expected in routes(assignment, people["student"], people["teacher"]):
        for role, status in expected.items():
            response = _call(people[role], method, url, body)
            assert response.status_code == status, (method, url, role, response.content)
        for role in OUTSIDERS:
            response = _call(people[role], method, url, body)
            assert response.status_code == 404, (method, url, role, response.content)
            assert response.json()["code"] == "not_found"
        response = _call(None, method, url, body)
        assert response.status_code in (401, 403), (method, url, "anonymous")
        assert response.status_code == 401 or "Authentication" in response.json()["detail"]


def test_submit_route_access(assignment, people):
    url = f"/api/v1/assignments/{assignment.pk}/submit/"
    body = {"client_key": "route-key-01", "text": "Bài"}
    for role in ("teacher", "admin"):
        assert _call(people[role], "post", url, body).status_code == 403
    for role in OUTSIDERS:
        assert _call(people[role], "post", url, body).status_code == 404
    assert _call(None, "post", url, body).status_code in (401, 403)
    assert not Submission.objects.exists()


def test_student_flow_draft_submit_receipt(assignment, people):
    student = people["student"]
    base = f"/api/v1/assignments/{assignment.pk}"
    assert _call(student, "put", f"{base}/draft/", {"text": "Câu 1: ..."}).status_code == 200
    response = _call(student, "post", f"{base}/submit/", {"client_key": "0f9c2a7e-11aa"})
    assert response.status_code == 201
    receipt = response.json()
    assert receipt["attempt"] == 1 and receipt["text_length"] == len("Câu 1: ...")
    again = _call(student, "post", f"{base}/submit/", {"client_key": "0f9c2a7e-11aa"})
    assert again.status_code == 200 and again.json()["attempt_id"] == receipt["attempt_id"]
    history = _call(student, "get", f"{base}/attempts/").json()
    assert [a["id"] for a in history["results"]] == [receipt["attempt_id"]]
    listed = _call(student, "get", f"/api/v1/courses/{assignment.course_id}/assignments/").json()
    assert listed["results"][0]["my_attempts"] == 1


def test_students_do_not_see_draft_assignments(assignment, people):
    assignment.status = "draft"
    assignment.save()
    student = people["student"]
    assert _call(student, "get", f"/api/v1/assignments/{assignment.pk}/").status_code == 404
    listed = _call(student, "get", f"/api/v1/courses/{assignment.course_id}/assignments/").json()
    assert listed["count"] == 0
    teacher_list = _call(
        people["teacher"], "get", f"/api/v1/courses/{assignment.course_id}/assignments/"
    ).json()
    assert teacher_list["count"] == 1


def test_roster_statuses_filters_and_extension(assignment, people):
    teacher, student, other = people["teacher"], people["student"], people["other_student"]
    submission_submit(by=student, assignment=assignment, client_key="roster-key-1", text="x")
    base = f"/api/v1/assignments/{assignment.pk}"
    _call(other, "put", f"{base}/draft/", {"text": "đang viết"})
    rows = _call(teacher, "get", f"{base}/submissions/").json()["results"]
    by_id = {r["student_id"]: r for r in rows}
    assert by_id[student.pk]["status"] == "submitted"
    assert by_id[other.pk]["status"] == "draft"
    only = _call(teacher, "get", f"{base}/submissions/?status=draft").json()["results"]
    assert [r["student_id"] for r in only] == [other.pk]
    due = (timezone.now() + timedelta(days=10)).isoformat()
    _call(teacher, "put", f"{base}/extensions/{other.pk}/", {"due_at": due, "reason": "Ốm"})
    row = next(
        r
        for r in _call(teacher, "get", f"{base}/submissions/").json()["results"]
        if r["student_id"] == other.pk
    )
    assert row["extension_reason"] == "Ốm" and row["extension_due_at"]
    assert _call(teacher, "delete", f"{base}/extensions/{other.pk}/").status_code == 204


def test_late_status_in_roster(assignment, people):
    assignment.due_at = timezone.now() - timedelta(hours=1)
    assignment.late_cutoff = timezone.now() + timedelta(hours=1)
    assignment.save()
    submission_submit(
        by=people["student"], assignment=assignment, client_key="late-key-1", text="x"
    )
    rows = _call(
        people["teacher"], "get", f"/api/v1/assignments/{assignment.pk}/submissions/?status=late"
    ).json()["results"]
    assert [r["student_id"] for r in rows] == [people["student"].pk]
    assert rows[0]["seconds_late"] >= 3600


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x"}, "client_key"),
        ({"client_key": "bad key with spaces"}, "client_key"),
        ({"client_key": "ok-key-123", "text": ["not", "text"]}, "text"),
    ],
)
def test_bad_submit_bodies_are_400_with_the_field(assignment, people, body, field):
    response = _call(
        people["student"], "post", f"/api/v1/assignments/{assignment.pk}/submit/", body
    )
    assert response.status_code == 400
    data = response.json()
    assert field in data["fields"] and data["detail"]
    assert not Submission.objects.filter(state="submitted").exists()


def test_broken_json_is_400(assignment, people):
    client = client_for(people["student"])
    response = client.post(
        f"/api/v1/assignments/{assignment.pk}/submit/",
        data=b'{"client_key": "abc',
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["detail"]


def test_after_cutoff_is_400_with_reason(assignment, people):
    assignment.due_at = timezone.now() - timedelta(minutes=1)
    assignment.save()
    response = _call(
        people["student"],
        "post",
        f"/api/v1/assignments/{assignment.pk}/submit/",
        {"client_key": "too-late-01", "text": "x"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "closed"
    assert "deadline has passed" in response.json()["detail"]


def test_create_with_bad_input_names_the_field(course, people):
    url = f"/api/v1/courses/{course.pk}/assignments/"
    teacher = people["teacher"]
    response = _call(teacher, "post", url, {"title": "x"})
    assert response.status_code == 400 and "due_at" in response.json()["fields"]
    due = timezone.now() + timedelta(days=1)
    response = _call(
        teacher,
        "post",
        url,
        {"title": "x", "due_at": due.isoformat(), "late_cutoff": timezone.now().isoformat()},
    )
    assert response.status_code == 400 and "late_cutoff" in response.json()["fields"]
    response = _call(teacher, "post", url, {"title": "x", "due_at": "not a date"})
    assert response.status_code == 400


def test_bad_roster_filter_is_400(assignment, people):
    url = f"/api/v1/assignments/{assignment.pk}/submissions/?sort=password"
    response = _call(people["teacher"], "get", url)
    assert response.status_code == 400 and "sort" in response.json()["fields"]


def test_schema_documents_the_routes(people):
    response = client_for(people["teacher"]).get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    for path in (
        "/api/v1/courses/{course_id}/assignments/",
        "/api/v1/assignments/{id}/submit/",
        "/api/v1/assignments/{id}/submissions/",
        "/api/v1/assignments/{id}/extensions/{student_id}/",
    ):
        assert path in paths, path


def test_roster_is_in_vietnamese_name_order(assignment, people):
    from courses.models import Enrollment
    from tests.factories.courses import enrol
    from tests.factories.lms import member

    Enrollment.objects.filter(course=assignment.course, role="student").delete()
    for name in ("Lê Đức", "Trần Văn Bình", "Phạm Dũng", "Nguyễn Thị An"):
        enrol(assignment.course, member(assignment.course.school, "student", full_name=name))
    rows = _call(
        people["teacher"], "get", f"/api/v1/assignments/{assignment.pk}/submissions/"
    ).json()["results"]
    assert [r["full_name"] for r in rows] == [
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Phạm Dũng",
        "Lê Đức",
    ]
