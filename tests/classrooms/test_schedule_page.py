"""The scheduling page: for the course's staff only; the list keeps a constant query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories.classrooms import LiveSessionFactory
from tests.factories.lms import member


@pytest.mark.django_db
def test_schedule_new_is_for_staff(client, enrolled, teacher, student, school):
    url = f"/live/courses/{enrolled.pk}/schedule/new/"
    client.force_login(student)  # a member lacking the capability
    assert client.get(url).status_code == 403
    client.force_login(member(school, "teacher"))  # a teacher of another course
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    body = client.get(url).content.decode()
    assert 'data-testid="series-form"' in body and 'data-testid="weekday-picker"' in body
    assert client.get(f"/live/courses/{enrolled.pk}/").content.decode().count("series-form") == 0


@pytest.mark.django_db
def test_schedule_list_queries_do_not_grow(client, enrolled, teacher):
    client.force_login(teacher)
    now = timezone.now()

    def count(n):
        for i in range(n):
            LiveSessionFactory(course=enrolled, starts_at=now + timedelta(days=i + 1, hours=1))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/live/courses/{enrolled.pk}/").status_code == 200
        return len(queries)

    assert count(2) == count(20)
