import pytest

from tests.factories.lms import UserFactory


@pytest.mark.django_db
class TestApiTokens:
    def test_create_use_list_and_revoke(self, api_client, student):
        api_client.force_authenticate(student)
        created = api_client.post("/api/v1/tokens/", {"name": "export script"})
        assert created.status_code == 201
        secret = created.json()["token"]
        assert secret.startswith("lph_")
        listed = api_client.get("/api/v1/tokens/").json()
        assert listed["count"] == 1 and "token" not in listed["results"][0]

        script = type(api_client)()
        script.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        me = script.get("/api/v1/me/")
        assert me.status_code == 200 and me.json()["email"] == student.email

        assert api_client.delete(f"/api/v1/tokens/{created.json()['id']}/").status_code == 204
        refused = script.get("/api/v1/me/")
        assert refused.status_code == 401
        assert refused.json()["code"] == "authentication_failed"

    def test_wrong_or_malformed_tokens_are_401(self, api_client, db):
        api_client.credentials(HTTP_AUTHORIZATION="Bearer lph_not-a-token")
        assert api_client.get("/api/v1/me/").status_code == 401
        api_client.credentials(HTTP_AUTHORIZATION="Bearer a b")
        assert api_client.get("/api/v1/me/").status_code == 401

    def test_anonymous_is_401_with_the_error_shape(self, api_client, db):
        response = api_client.get("/api/v1/me/")
        assert response.status_code == 401
        assert set(response.json()) == {"detail", "code", "fields"}

    def test_cannot_revoke_someone_elses_token(self, api_client, student):
        api_client.force_authenticate(UserFactory())
        token_id = api_client.post("/api/v1/tokens/", {"name": "mine"}).json()["id"]
        api_client.force_authenticate(student)
        assert api_client.delete(f"/api/v1/tokens/{token_id}/").status_code == 404

    def test_token_page_shows_the_secret_once(self, client, student):
        client.force_login(student)
        body = client.post("/account/tokens/", {"name": "sổ điểm"}).content.decode()
        assert 'data-testid="new-token"' in body
        assert 'data-testid="new-token"' not in client.get("/account/tokens/").content.decode()

    def test_me_can_change_language_and_time_zone(self, api_client, student):
        api_client.force_authenticate(student)
        response = api_client.patch(
            "/api/v1/me/", {"preferred_language": "vi", "time_zone": "Europe/Paris"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["time_zone"] == "Europe/Paris"
        bad = api_client.patch("/api/v1/me/", {"time_zone": "Mars/Olympus"}, format="json")
        assert bad.status_code == 400 and bad.json()["fields"]["time_zone"]


@pytest.mark.django_db
def test_token_requests_speak_the_users_language(api_client, student):
    from lms import services

    student.preferred_language = "vi"
    student.save()
    _token, secret = services.api_token_create(user=student, name="vi")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = api_client.patch("/api/v1/me/", {"time_zone": "Mars/Olympus"}, format="json")
    assert "không phải là múi giờ hợp lệ" in response.json()["fields"]["time_zone"][0]
