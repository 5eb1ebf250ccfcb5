"""Grade, rubric, release and regrade endpoints: conflicts, bad input, and who may call them."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from grading.models import Grade, RegradeRequest
from grading.services import release
from grading.services.grades import grade_save, grading_options_update
from tests.factories.grades import assignment, simple_rubric, submission, world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient(headers={"accept-language": "en"})


@pytest.fixture
def w(db):
    return world(students=3)


def put(api_client, user, a, student, body):
    api_client.force_authenticate(user)
    return api_client.put(f"/api/v1/assignments/{a.pk}/grades/{student.pk}/", body, format="json")


def test_save_with_decimal_comma_then_conflict_shows_both_values(w, api_client):
    a = assignment(w.course)
    s = w.students[0]
    response = put(api_client, w.teacher, a, s, {"version": None, "score": "8,5", "comment": "Tốt"})
    assert response.status_code == 200, response.json()
    assert response.json()["score"] == "8.50" and response.json()["version"] == 1
    assert response.json()["history"][0]["action"] == "graded"
    assert put(api_client, w.assistant, a, s, {"version": 1, "score": "9"}).status_code == 200
    stale = put(api_client, w.teacher, a, s, {"version": 1, "score": "7", "comment": "Khá"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale_version" and "version" in body["fields"]
    assert body["current"]["score"] == "9.00" and body["current"]["version"] == 2
    assert body["yours"] == {"score": "7", "comment": "Khá"}
    assert Grade.objects.get().score == D(9)


@pytest.mark.parametrize(
    "body,code",
    [
        ({"version": None, "score": "11"}, "above_maximum"),
        ({"version": None, "score": "-1"}, "negative"),
        ({"version": None, "score": "tám"}, "not_a_number"),
        ({"version": None, "score": "8.555"}, "too_precise"),
        ({"score": "8"}, "invalid"),
        ({"version": None, "rubric_selections": [{"criterion": 1, "level": 1}]}, "no_rubric"),
    ],
)
def test_bad_scores_are_clear_400s(w, api_client, body, code):
    a = assignment(w.course)
    response = put(api_client, w.teacher, a, w.students[0], body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Grade.objects.exists()


def test_rubric_crud_and_grading_with_it(w, api_client):
    api_client.force_authenticate(w.assistant)
    url = f"/api/v1/courses/{w.course.pk}/rubrics/"
    created = api_client.post(
        url,
        {
            "title": "Bài luận",
            "criteria": [
                {"title": "Ý", "levels": [{"points": 5, "description": "Sâu"}, {"points": 2}]},
                {"title": "Câu chữ", "levels": [{"points": 5}, {"points": 0}]},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    rubric = created.json()
    assert rubric["max_points"] == "10.00"
    assert api_client.get(url).json()["results"][0]["title"] == "Bài luận"
    bad = api_client.post(url, {"title": "x", "criteria": []}, format="json")
    assert bad.status_code == 400
    a = assignment(w.course)
    options = api_client.patch(
        f"/api/v1/assignments/{a.pk}/grading/", {"rubric": rubric["id"]}, format="json"
    )
    assert options.json()["rubric"] == rubric["id"]
    idea, words = rubric["criteria"]
    response = put(
        api_client,
        w.assistant,
        a,
        w.students[0],
        {
            "version": None,
            "rubric_selections": [
                {"criterion": idea["id"], "level": idea["levels"][1]["id"], "comment": "Nông"},
                {"criterion": words["id"], "level": words["levels"][0]["id"]},
            ],
        },
    )
    assert response.status_code == 200
    assert response.json()["score"] == "7.00"
    # In use: criteria are frozen, deleting is refused.
    patch = api_client.patch(f"{url}{rubric['id']}/", {"criteria": []}, format="json")
    assert patch.status_code in (400, 409)
    assert api_client.delete(f"{url}{rubric['id']}/").status_code == 409
    assert (
        api_client.patch(f"{url}{rubric['id']}/", {"title": "Luận 2"}).json()["title"] == "Luận 2"
    )
    # Another course's rubric cannot be attached; students cannot read rubrics here.
    other = simple_rubric(w.course, w.teacher)
    other.course = w.other_teacher.enrollments.first().course
    other.save()
    response = api_client.patch(
        f"/api/v1/assignments/{a.pk}/grading/", {"rubric": other.pk}, format="json"
    )
    assert response.status_code == 404
    api_client.force_authenticate(w.students[0])
    assert api_client.get(url).status_code == 403


def test_queue_needs_grading_and_release_endpoints(w, api_client):
    a = assignment(w.course)
    first, second, third = w.students
    submission(a, first)
    submission(a, second, seconds_late=7200, penalty=10)
    grade_save(by=w.teacher, assignment=a, student_id=first.pk, version=None, score=D(9))
    api_client.force_authenticate(w.assistant)
    queue = api_client.get(f"/api/v1/assignments/{a.pk}/grades/").json()
    assert [e["student_id"] for e in queue] == [first.pk, second.pk, third.pk]
    todo = api_client.get(f"/api/v1/assignments/{a.pk}/grades/?needs_grading=1").json()
    assert [(e["student_id"], e["late"]) for e in todo] == [(second.pk, True)]
    # A newer attempt after grading needs grading again.
    submission(a, first, attempt=2)
    todo = api_client.get(f"/api/v1/assignments/{a.pk}/grades/?needs_grading=1").json()
    assert {e["student_id"] for e in todo} == {first.pk, second.pk}
    # Assistants grade but do not release.
    assert api_client.post(f"/api/v1/assignments/{a.pk}/release/").status_code == 403
    api_client.force_authenticate(w.teacher)
    one = api_client.post(f"/api/v1/assignments/{a.pk}/grades/{first.pk}/release/")
    assert one.status_code == 200 and one.json()["released_at"]
    assert (
        api_client.post(f"/api/v1/assignments/{a.pk}/grades/{third.pk}/release/").status_code == 404
    )
    everything = api_client.post(f"/api/v1/assignments/{a.pk}/release/", {}, format="json")
    assert everything.json() == {"released": 0, "scheduled": 0, "release_at": None}
    later = api_client.post(
        f"/api/v1/assignments/{a.pk}/release/", {"at": "2099-01-01T08:00:00+07:00"}, format="json"
    )
    assert later.json()["release_at"].startswith("2099-01-01T")


def test_regrade_endpoints(w, api_client):
    a = assignment(w.course)
    s = w.students[0]
    grade = grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(5))
    release.grade_release(by=w.teacher, grade=grade)
    api_client.force_authenticate(s)
    created = api_client.post(f"/api/v1/grades/{grade.pk}/regrade/", {"reason": "Câu 3?"})
    assert created.status_code == 201
    again = api_client.post(f"/api/v1/grades/{grade.pk}/regrade/", {"reason": "Câu 3?"})
    assert again.status_code == 409
    mine = api_client.get("/api/v1/me/grades/").json()["results"][0]
    assert mine["regrade_status"] == "open"
    assert api_client.get(f"/api/v1/courses/{w.course.pk}/regrade-requests/").status_code == 403
    api_client.force_authenticate(w.students[1])
    assert (
        api_client.post(f"/api/v1/grades/{grade.pk}/regrade/", {"reason": "x"}).status_code == 404
    )
    api_client.force_authenticate(w.teacher)
    listed = api_client.get(f"/api/v1/courses/{w.course.pk}/regrade-requests/?status=open").json()
    request_id = listed["results"][0]["id"]
    answer = api_client.post(
        f"/api/v1/courses/{w.course.pk}/regrade-requests/{request_id}/answer/",
        {"status": "declined", "answer": "Câu 3 sai đơn vị."},
    )
    assert answer.status_code == 200
    assert RegradeRequest.objects.get().status == "declined"
    api_client.force_authenticate(w.other_teacher)
    response = api_client.post(
        f"/api/v1/courses/{w.course.pk}/regrade-requests/{request_id}/answer/",
        {"status": "accepted", "answer": "x"},
    )
    assert response.status_code == 404


STAFF_URLS = [
    ("get", "/api/v1/courses/{c}/rubrics/"),
    ("get", "/api/v1/courses/{c}/gradebook/"),
    ("get", "/api/v1/courses/{c}/gradebook/settings/"),
    ("get", "/api/v1/courses/{c}/gradebook/export/"),
    ("get", "/api/v1/courses/{c}/regrade-requests/"),
    ("get", "/api/v1/assignments/{a}/grading/"),
    ("get", "/api/v1/assignments/{a}/grades/"),
    ("get", "/api/v1/assignments/{a}/grades/{s}/"),
    ("put", "/api/v1/assignments/{a}/grades/{s}/"),
    ("post", "/api/v1/assignments/{a}/release/"),
    ("post", "/api/v1/assignments/{a}/grades/{s}/release/"),
]


@pytest.mark.parametrize("method,url", STAFF_URLS)
def test_access_matrix_staff_endpoints(w, api_client, method, url):
    a = assignment(w.course)
    s = w.students[0]
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(5))
    url = url.format(c=w.course.pk, a=a.pk, s=s.pk)
    body = {"version": 1, "score": "6"}
    expected = {
        "teacher": 200,
        "student": 403,
        "other_teacher": 404,
        "other_student": 404,
    }
    for who, status in expected.items():
        user = {
            "teacher": w.teacher,
            "student": s,
            "other_teacher": w.other_teacher,
            "other_student": w.other_student,
        }[who]
        api_client.force_authenticate(user)
        response = getattr(api_client, method)(url, body, format="json")
        if who == "teacher" and method == "put":
            body["version"] += 1
        assert response.status_code == status, (who, url, response.content[:200])
    api_client.force_authenticate(None)
    assert getattr(api_client, method)(url, body, format="json").status_code in (401, 403)


def test_student_endpoints_refuse_staff_and_strangers(w, api_client):
    url = f"/api/v1/courses/{w.course.pk}/grades/mine/"
    api_client.force_authenticate(w.students[0])
    assert api_client.get(url).status_code == 200
    api_client.force_authenticate(w.teacher)
    assert api_client.get(url).status_code == 403
    api_client.force_authenticate(w.other_student)
    assert api_client.get(url).status_code == 404


def test_extra_credit_option(w, api_client):
    a = assignment(w.course)
    grading_options_update(by=w.teacher, assignment=a, extra_credit=True)
    response = put(api_client, w.teacher, a, w.students[0], {"version": None, "score": "11"})
    assert response.status_code == 200


def test_feedback_files_attach_and_download(w, api_client, settings, tmp_path):
    from media.models import StoredFile

    settings.MEDIA_PRIVATE_ROOT = str(tmp_path / "private")

    def stored(owner, purpose="feedback", state="verified", n=[0]):  # noqa: B006
        n[0] += 1
        return StoredFile.objects.create(
            owner=owner,
            school=w.school,
            purpose=purpose,
            key=f"test/{owner.pk}/{n[0]}",
            name=f"nhan-xet-{n[0]}.pdf",
            size=10,
            content_type="application/pdf",
            sha256="0" * 64,
            state=state,
        )

    a = assignment(w.course)
    s = w.students[0]
    mine = stored(w.teacher)
    theirs = stored(w.assistant)
    pending = stored(w.teacher, state="pending")
    assert (
        put(
            api_client, w.teacher, a, s, {"version": None, "feedback_files": [theirs.pk]}
        ).status_code
        == 404
    )
    response = put(api_client, w.teacher, a, s, {"version": None, "feedback_files": [pending.pk]})
    assert response.status_code == 400
    response = put(
        api_client, w.teacher, a, s, {"version": None, "score": "7", "feedback_files": [mine.pk]}
    )
    assert response.status_code == 200 and response.json()["feedback_files"] == [mine.pk]
    grade = Grade.objects.get()
    url = f"/api/v1/grades/{grade.pk}/feedback/{mine.pk}/download/"
    assert api_client.get(url).json()["url"]  # the teacher
    api_client.force_authenticate(s)
    assert api_client.get(url).status_code == 404  # not released yet
    release.grade_release(by=w.teacher, grade=grade)
    assert api_client.get(url).json()["url"]
    assert (
        api_client.get(f"/api/v1/grades/{grade.pk}/feedback/{theirs.pk}/download/").status_code
        == 404
    )
    api_client.force_authenticate(w.students[1])
    assert api_client.get(url).status_code == 404
