from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms.models import LiveSeries, LiveSession
from courses.models import Enrollment
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, EnrollmentFactory
from tests.factories.lms import member


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def _series_body(course, **extra):
    today = timezone.localdate()
    body = {
        "course": course.pk,
        "title": "Văn",
        "weekdays": [0, 2, 4],
        "start_time": "18:00",
        "duration_minutes": 90,
        "first_date": str(today + timedelta(days=1)),
        "last_date": str(today + timedelta(days=30)),
    }
    body.update(extra)
    return body


def test_staff_create_series_members_read(as_user, enrolled, teacher, student):
    response = as_user(teacher).post("/api/v1/live-series/", _series_body(enrolled), format="json")
    assert response.status_code == 201, response.json()
    series_id = response.json()["id"]
    assert response.json()["time_zone"] == enrolled.effective_time_zone
    client = as_user(student)
    assert client.get(f"/api/v1/live-series/{series_id}/").status_code == 200
    listed = client.get("/api/v1/live-sessions/", {"course": enrolled.pk}).json()
    assert listed["count"] == LiveSession.objects.count() > 10
    assert "room_name" not in listed["results"][0]
    # Students see the course but do not write: 403 (strangers get 404).
    response = client.post("/api/v1/live-series/", _series_body(enrolled), format="json")
    assert response.status_code == 403
    response = client.patch(
        f"/api/v1/live-series/{series_id}/", {"from_date": "2030-01-01"}, format="json"
    )
    assert response.status_code == 403


def test_bad_input_is_a_clear_400_or_409(as_user, enrolled, teacher):
    client = as_user(teacher)
    response = client.post(
        "/api/v1/live-series/", _series_body(enrolled, weekdays=[]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["weekdays"] and response.json()["detail"]
    response = client.post(
        "/api/v1/live-series/", _series_body(enrolled, duration_minutes=0), format="json"
    )
    assert response.status_code == 400 and "duration_minutes" in response.json()["fields"]
    assert (
        client.post("/api/v1/live-series/", _series_body(enrolled), format="json").status_code
        == 201
    )
    response = client.post("/api/v1/live-series/", _series_body(enrolled), format="json")
    assert response.status_code == 409 and response.json()["code"] == "overlap"
    assert LiveSeries.objects.count() == 1
    response = client.post(
        "/api/v1/live-series/", _series_body(enrolled, confirm_overlap=True), format="json"
    )
    assert response.status_code == 201
    response = client.get("/api/v1/live-sessions/", {"from": "yesterday"})
    assert response.status_code == 400 and "from" in response.json()["fields"]


def test_non_member_gets_404_everywhere(as_user, open_session, school):
    client = as_user(member(school, "student"))
    pk = open_session.pk
    assert client.get(f"/api/v1/live-sessions/{pk}/").status_code == 404
    for action in ("join", "start", "end", "cancel", "move"):
        assert client.post(f"/api/v1/live-sessions/{pk}/{action}/", {}).status_code == 404
    assert client.get("/api/v1/live-sessions/").json()["count"] == 0


def test_join_endpoint(as_user, open_session, student, admin_user):
    response = as_user(student).post(f"/api/v1/live-sessions/{open_session.pk}/join/")
    assert response.status_code == 200
    data = response.json()
    assert data["room"] == open_session.room_name
    assert data["domain"] == "meet.jit.si" and data["jwt"] is None
    assert data["display_name"] == student.full_name and data["language"] == "en"
    assert data["config_overwrite"]["readOnlyName"] is True
    assert "interface_config_overwrite" in data
    observer = as_user(admin_user).post(f"/api/v1/live-sessions/{open_session.pk}/join/").json()
    assert observer["observer"] is True and observer["moderator"] is False


def test_actions(as_user, enrolled, teacher, student):
    session = LiveSessionFactory(course=enrolled)
    client = as_user(teacher)
    base = f"/api/v1/live-sessions/{session.pk}"
    new_start = (session.starts_at + timedelta(days=1)).isoformat()
    response = client.post(f"{base}/move/", {"starts_at": new_start}, format="json")
    assert response.status_code == 200 and response.json()["is_moved"] is True
    assert response.json()["original_starts_at"] is not None
    assert client.post(f"{base}/start/").json()["status"] == "live"
    assert client.post(f"{base}/cancel/").status_code == 409
    assert client.post(f"{base}/end/").json()["status"] == "ended"
    assert as_user(student).post(f"{base}/join/").status_code == 410
    other = LiveSessionFactory(course=enrolled, starts_at=session.starts_at + timedelta(days=3))
    response = as_user(teacher).post(
        f"/api/v1/live-sessions/{other.pk}/cancel/", {"reason": "Nghỉ lễ"}, format="json"
    )
    assert response.json()["status"] == "cancelled"
    assert as_user(student).post(f"/api/v1/live-sessions/{other.pk}/join/").json()["code"] == (
        "cancelled"
    )
    assert as_user(student).post(f"/api/v1/live-sessions/{other.pk}/start/").status_code == 403


def test_filters_and_one_off(as_user, enrolled, teacher):
    now = timezone.now()
    client = as_user(teacher)
    response = client.post(
        "/api/v1/live-sessions/",
        {
            "course": enrolled.pk,
            "starts_at": (now + timedelta(days=2)).isoformat(),
            "ends_at": (now + timedelta(days=2, hours=1)).isoformat(),
            "title": "Ôn thi",
        },
        format="json",
    )
    assert response.status_code == 201
    LiveSessionFactory(course=enrolled, starts_at=now + timedelta(days=10))
    day = (now + timedelta(days=2)).date()
    listed = client.get(
        "/api/v1/live-sessions/",
        {"from": str(day - timedelta(days=1)), "to": str(day + timedelta(days=1))},
    ).json()
    assert [s["title"] for s in listed["results"]] == ["Ôn thi"]
    assert client.get("/api/v1/live-sessions/", {"status": "cancelled"}).json()["count"] == 0
    assert client.get("/api/v1/live-sessions/", {"status": "nope"}).status_code == 400


def test_calendar_feed_and_reminder_api(as_user, student):
    client = as_user(student)
    first = client.get("/api/v1/calendar-feed/").json()["url"]
    rotated = client.post("/api/v1/calendar-feed/rotate/").json()["url"]
    assert first != rotated and rotated.endswith(".ics")
    assert client.get("/api/v1/live-reminders/").json() == {"email_enabled": True}
    assert client.put(
        "/api/v1/live-reminders/", {"email_enabled": False}, format="json"
    ).json() == {"email_enabled": False}


def _populate(course, students: int, lessons: int):
    EnrollmentFactory.create_batch(students, course=course, role=Enrollment.Role.STUDENT)
    now = timezone.now()
    for i in range(max(1, lessons // 3)):
        LiveSeries.objects.create(
            course=course,
            weekdays=[i % 7],
            start_time="08:00",
            duration_minutes=45,
            first_date=now.date(),
            last_date=now.date() + timedelta(days=60),
            time_zone="Asia/Ho_Chi_Minh",
        )
    for i in range(lessons):
        start = now + timedelta(minutes=5) + timedelta(days=i)
        LiveSessionFactory(course=course, starts_at=start, ends_at=start + timedelta(hours=1))


@pytest.mark.parametrize("url", ["/api/v1/live-sessions/", "/api/v1/live-series/"])
def test_list_queries_do_not_grow(
    as_user, enrolled, teacher, school, django_assert_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(teacher)
    _populate(enrolled, 5, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"course": enrolled.pk}).json()["count"] > 0
    _populate(enrolled, 195, 37)
    other = CourseFactory(school=school)
    EnrollmentFactory(course=other, user=teacher, role="teacher")
    _populate(other, 10, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).json()["count"] > 0
    print(url, "queries:", len(small.captured_queries))


def test_schema_has_no_classrooms_warnings(client, db):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    assert client.get("/api/schema/").status_code == 200
    ours = [
        message
        for message in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
        if "classrooms" in message and "BearerTokenAuthentication" not in message
    ]
    assert ours == []
