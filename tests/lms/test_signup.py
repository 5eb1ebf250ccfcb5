import re

import pytest
from django.core import mail

from lms.models import Membership, Role, User


def _confirm_link(message) -> str:
    return re.search(r"(/signup/confirm/\S+/)", message.body).group(1)


@pytest.mark.django_db
class TestDomainRestrictedSignup:
    def test_allowed_domain_gets_a_link_and_an_account_only_after_confirming(
        self, school, client, django_capture_on_commit_callbacks
    ):
        email = f"hocsinh@{school.allowed_email_domains[0]}"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/schools/{school.slug}/join/",
                {"full_name": "Đỗ Minh Châu", "email": email, "password": "hoc-tot-2026!"},
            )
        assert response.status_code == 200
        assert email in response.content.decode()
        assert not User.objects.filter(email=email).exists()  # nothing until confirmed
        assert len(mail.outbox) == 1

        response = client.get(_confirm_link(mail.outbox[0]))
        assert response.status_code == 302
        user = User.objects.get(email=email)
        assert user.check_password("hoc-tot-2026!")
        assert Membership.objects.filter(user=user, school=school, role=Role.STUDENT).exists()
        # The link is bound to the address: opening it again changes nothing.
        client.get(_confirm_link(mail.outbox[0]))
        assert Membership.objects.filter(user=user).count() == 1

    def test_foreign_domain_gets_a_clear_message_and_no_account(self, school, client):
        response = client.post(
            f"/schools/{school.slug}/join/",
            {"full_name": "Người Lạ", "email": "la@gmail.com", "password": "hoc-tot-2026!"},
        )
        assert response.status_code == 200
        assert school.allowed_email_domains[0] in response.content.decode()
        assert not User.objects.filter(email="la@gmail.com").exists()
        assert mail.outbox == []

    def test_tampered_link_is_404_and_unknown_school_is_404(self, school, client):
        assert client.get("/signup/confirm/garbage:abc/").status_code == 404
        assert client.get("/schools/nowhere/join/").status_code == 404

    def test_expired_link_is_410(
        self, school, client, settings, django_capture_on_commit_callbacks
    ):
        from datetime import timedelta

        settings.SIGNUP_LINK_TTL = timedelta(seconds=-1)
        email = f"tre@{school.allowed_email_domains[0]}"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/schools/{school.slug}/join/",
                {"full_name": "Trễ Hẹn", "email": email, "password": "hoc-tot-2026!"},
            )
        response = client.get(_confirm_link(mail.outbox[0]))
        assert response.status_code == 410
        assert not User.objects.filter(email=email).exists()

    def test_weak_password_is_refused_on_the_form(self, school, client):
        email = f"yeu@{school.allowed_email_domains[0]}"
        response = client.post(
            f"/schools/{school.slug}/join/",
            {"full_name": "Mật Khẩu Yếu", "email": email, "password": "12345678"},
        )
        assert "errorlist" in response.content.decode()
        assert mail.outbox == []
