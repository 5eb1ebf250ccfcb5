"""Double clicks, retries and two tabs against a real server on PostgreSQL: one attempt."""

import threading

import pytest
import requests

from courses.models import Enrollment
from grading.models import Submission
from lms.services import api_token_create
from tests.factories.assignments import AssignmentFactory
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(school):
    course = CourseFactory(school=school)
    student = member(school, "student")
    enrol(course, student, Enrollment.Role.STUDENT)
    assignment = AssignmentFactory(course=course, max_attempts=2)
    _token, raw = api_token_create(user=student, name="test")
    return assignment, {"Authorization": f"Bearer {raw}", "Accept-Language": "en"}


def _post_together(url, headers, bodies) -> list[requests.Response]:
    barrier = threading.Barrier(len(bodies))
    responses: list = [None] * len(bodies)

    def send(i, body):
        barrier.wait()
        responses[i] = requests.post(url, json=body, headers=headers, timeout=60)

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_same_key_from_eight_requests_at_once_is_one_attempt(live_server, setup):
    assignment, headers = setup
    url = f"{live_server.url}/api/v1/assignments/{assignment.pk}/submit/"
    body = {"client_key": "double-click-0001", "text": "Bài làm"}
    responses = _post_together(url, headers, [body] * 8)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.content for r in responses]
    assert len({r.json()["attempt_id"] for r in responses}) == 1
    assert Submission.objects.filter(state="submitted").count() == 1


def test_two_tabs_with_their_own_keys_never_pass_the_attempt_limit(live_server, setup):
    assignment, headers = setup
    url = f"{live_server.url}/api/v1/assignments/{assignment.pk}/submit/"
    bodies = [{"client_key": f"tab-key-{i:04d}", "text": f"tab {i}"} for i in range(6)]
    responses = _post_together(url, headers, bodies)
    created = [r for r in responses if r.status_code == 201]
    refused = [r for r in responses if r.status_code == 400]
    assert len(created) == 2 and len(refused) == 4, [r.content for r in responses]
    assert {r.json()["code"] for r in refused} == {"no_attempts_left"}
    attempts = Submission.objects.filter(state="submitted").values_list("attempt", flat=True)
    assert sorted(attempts) == [1, 2]
