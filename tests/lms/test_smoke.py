import pytest


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/docs/", "/healthz"])
def test_public_pages_answer(client, db, url):
    assert client.get(url).status_code == 200


def test_dashboard_shows_schools_and_roles(client, student, school):
    client.force_login(student)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert school.name in response.content.decode()
