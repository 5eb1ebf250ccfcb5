"""Issue #8's findings in lms, each shown fixed (each test failed before its fix)."""

import importlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.urls import Resolver404, clear_url_caches, resolve
from django.utils import timezone

from lms import services
from lms.models import ApiToken, Membership, PendingSignup, Role
from tests.factories.lms import PASSWORD, SchoolFactory, UserFactory, member

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_control_characters_are_refused_in_display_names(api_client, student):
    api_client.force_authenticate(student)
    response = api_client.patch("/api/v1/me/", {"full_name": "Lan\u0001"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["full_name"]
    student.refresh_from_db()
    assert "\u0001" not in student.full_name
    ok = api_client.patch("/api/v1/me/", {"full_name": "Nguyễn Thị Lan"}, format="json")
    assert ok.status_code == 200


def _signup(client, school, email, name="Trần Văn Mới"):
    return client.post(
        f"/schools/{school.slug}/join/",
        {"full_name": name, "email": email, "password": "a-long-new-password-42"},
    )


def _link(message) -> str:
    return re.search(r"https?://\S+/signup/confirm/(\S+)/", message.body).group(1)


def test_signup_link_is_a_random_single_use_secret_kept_server_side(client, school, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    email = f"moi@{school.allowed_email_domains[0]}"
    with _on_commit_runs():
        _signup(client, school, email)
    token = _link(mail.outbox[-1])
    assert len(token) < 60 and "." not in token and ":" not in token  # no payload inside
    pending = PendingSignup.objects.get(email=email)
    assert pending.token_hash != token and pending.password.startswith(("md5$", "pbkdf2"))
    assert client.get(f"/signup/confirm/{token}/").status_code == 302  # signed in
    client.logout()
    again = client.get(f"/signup/confirm/{token}/")
    assert again.status_code == 410
    assert "_auth_user_id" not in client.session


def test_signup_form_does_not_tell_who_is_a_member(client, school, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    existing = member(school, email=f"da-co@{school.allowed_email_domains[0]}")
    with _on_commit_runs():
        known = _signup(client, school, existing.email)
        unknown = _signup(client, school, f"chua-co@{school.allowed_email_domains[0]}")
    assert known.status_code == unknown.status_code == 200

    def strip(response, email):  # the page without the address and the CSRF tokens
        return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode().replace(email, ""))

    assert strip(known, existing.email) == strip(
        unknown, f"chua-co@{school.allowed_email_domains[0]}"
    )
    to_member = [m for m in mail.outbox if m.to == [existing.email]]
    assert to_member and "/accounts/login/" in to_member[0].body  # "sign in instead"
    assert not PendingSignup.objects.filter(email=existing.email).exists()


class _on_commit_runs:
    """Run on_commit callbacks at once (the test transaction never commits)."""

    def __enter__(self):
        from django.db import transaction

        self._original = transaction.on_commit
        transaction.on_commit = lambda func, using=None, robust=False: func()

    def __exit__(self, *exc):
        from django.db import transaction

        transaction.on_commit = self._original


def test_media_is_not_served_in_debug_except_image_renditions(settings):
    import lms.urls

    settings.DEBUG = True
    try:
        importlib.reload(lms.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve("/media/documents/de-cuong.pdf")
        assert resolve("/media/images/anh.width-400.png").url_name == "media-images"
    finally:
        settings.DEBUG = False
        importlib.reload(lms.urls)
        clear_url_caches()


def test_users_role_filter_counts_roles_in_this_school_only(api_client, school, admin_user):
    other = SchoolFactory()
    teacher_here_admin_there = member(school, Role.TEACHER)
    Membership.objects.create(user=teacher_here_admin_there, school=other, role=Role.ADMIN)
    api_client.force_authenticate(admin_user)
    body = api_client.get(f"/api/v1/schools/{school.slug}/users/", {"role": "admin"}).json()
    assert [u["id"] for u in body["results"]] == [admin_user.pk]


def test_api_tokens_expire(api_client, student):
    _token, raw = services.api_token_create(user=student, name="script", expires_in_days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert api_client.get("/api/v1/me/", **headers).status_code == 200
    ApiToken.objects.filter(user=student).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client.get("/api/v1/me/", **headers).status_code == 401


def test_password_reset_revokes_api_tokens(client, student):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _token, raw = services.api_token_create(user=student, name="script")
    uid = urlsafe_base64_encode(force_bytes(student.pk))
    url = f"/accounts/reset/{uid}/{default_token_generator.make_token(student)}/"
    form_url = client.get(url)["Location"]
    response = client.post(
        form_url, {"new_password1": "another-long-pass-77", "new_password2": "another-long-pass-77"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=student, revoked_at__isnull=True).exists()
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_plain_text_mails_are_not_html_escaped(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    school = SchoolFactory(name='Trường "Hoa Sen" & Co')
    admin = member(school, Role.ADMIN)
    with _on_commit_runs():
        services.invitation_create(
            school=school, email="a@b.example", role="student", invited_by=admin
        )
    body = mail.outbox[-1].body + mail.outbox[-1].subject
    assert 'Trường "Hoa Sen" & Co' in body and "&quot;" not in body and "&amp;" not in body
    user = UserFactory(full_name='Lê "Bin" & Co')
    with _on_commit_runs():
        client.post("/accounts/password-reset/", {"email": user.email})
    assert "&quot;" not in mail.outbox[-1].body and "&amp;" not in mail.outbox[-1].body


def test_the_invitation_secret_never_goes_through_the_broker(monkeypatch, school, admin_user):
    from lms import tasks

    sent = []
    monkeypatch.setattr(
        tasks.send_invitation_email, "delay_on_commit", lambda *a, **k: sent.append((a, k))
    )
    invitation, raw = services.invitation_create(
        school=school, email="x@y.example", role="student", invited_by=admin_user
    )
    assert sent == [((invitation.pk,), {})]
    tasks.send_invitation_email(invitation.pk)  # the task rebuilds the same link from the id
    assert f"/invite/{raw}/" in mail.outbox[-1].body
    assert services.invitation_for_token(raw) == invitation


def test_signed_in_student_at_the_admin_gets_a_no_access_page(client, student):
    client.force_login(student)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 403
    # The login page never bounces a signed-in person back to a page they cannot open.
    for target in ("/admin/", "/django-admin/"):
        response = client.get("/accounts/login/", {"next": target})
        assert response.status_code == 403
        assert "cannot open this page" in response.content.decode()


def test_make_clean_never_deletes_user_data():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nclean:", 1)[1].split("\n\n", 1)[0]
    assert "rm" in recipe and not re.search(
        r"\bvar\b(?!/)", recipe.replace("-path ./var -prune", "")
    )


def test_test_assets_are_not_among_the_apps_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("classrooms/testing/external_api_standin.js") is None
    assert (ROOT / "tests" / "assets" / "jitsi_external_api_standin.js").exists()


def test_login_page_still_works_for_a_real_password(client, student):
    assert (
        client.post(
            "/accounts/login/", {"username": student.email, "password": PASSWORD}
        ).status_code
        == 302
    )
