import pytest

from tests.factories.lms import PASSWORD


@pytest.mark.django_db
class TestLoginThrottling:
    def test_good_password_signs_in(self, client, student):
        response = client.post(
            "/accounts/login/", {"username": student.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/"

    def test_email_is_case_insensitive(self, client, student):
        response = client.post(
            "/accounts/login/", {"username": student.email.upper(), "password": PASSWORD}
        )
        assert response.status_code == 302

    def test_wrong_password_says_so(self, client, student):
        response = client.post("/accounts/login/", {"username": student.email, "password": "x"})
        assert response.status_code == 200
        assert "do not match" in response.content.decode()

    def test_account_is_paused_after_repeated_failures_and_says_how_long(
        self, client, student, settings
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/accounts/login/", {"username": student.email, "password": "wrong"})
        # Even the right password is refused now, with the time to wait.
        response = client.post(
            "/accounts/login/", {"username": student.email, "password": PASSWORD}
        )
        assert response.status_code == 429
        body = response.content.decode()
        assert "15 minutes" in body
        assert response["Retry-After"] == "900"

    def test_address_is_paused_across_accounts(self, client, school, settings):
        from tests.factories.lms import member

        for i in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                "/accounts/login/",
                {"username": f"guess{i}@example.test", "password": "wrong"},
                REMOTE_ADDR="203.0.113.7",
            )
        victim = member(school)
        response = client.post(
            "/accounts/login/",
            {"username": victim.email, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 429
        other_address = client.post(
            "/accounts/login/",
            {"username": victim.email, "password": PASSWORD},
            REMOTE_ADDR="198.51.100.1",
        )
        assert other_address.status_code == 302
