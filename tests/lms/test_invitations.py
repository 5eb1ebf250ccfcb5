from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lms import services
from lms.models import Invitation, Membership, Role, User
from tests.factories.lms import PASSWORD, UserFactory, member


def _invite(school, inviter, email="moi@example.test", role=Role.STUDENT):
    invitation, raw = services.invitation_create(
        school=school, email=email, role=role, invited_by=inviter
    )
    return invitation, raw


@pytest.mark.django_db
class TestInvitationByPage:
    def test_invitation_email_carries_a_one_time_link(
        self, school, admin_user, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, raw = _invite(school, admin_user)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["moi@example.test"]
        assert f"/invite/{raw}/" in mail.outbox[0].body
        assert invitation.token_hash != raw  # only a hash is stored

    def test_new_person_accepts_and_gets_account_and_role(self, school, admin_user, client):
        _invitation, raw = _invite(school, admin_user)
        response = client.post(
            f"/invite/{raw}/", {"full_name": "Phạm Thu Trang", "password": "hoc-tot-2026!"}
        )
        assert response.status_code == 302
        user = User.objects.get(email="moi@example.test")
        assert user.full_name == "Phạm Thu Trang"
        assert Membership.objects.filter(user=user, school=school, role=Role.STUDENT).exists()
        assert client.get("/dashboard/").status_code == 200  # signed in

    def test_link_works_once(self, school, admin_user, client):
        _invitation, raw = _invite(school, admin_user)
        client.post(f"/invite/{raw}/", {"full_name": "A B", "password": "hoc-tot-2026!"})
        client.logout()
        response = client.get(f"/invite/{raw}/")
        assert response.status_code == 410
        assert "already been used" in response.content.decode()

    def test_expired_link_is_refused(self, school, admin_user, client):
        invitation, raw = _invite(school, admin_user)
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        response = client.post(f"/invite/{raw}/", {"full_name": "A", "password": "hoc-tot-2026!"})
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert not User.objects.filter(email="moi@example.test").exists()

    def test_withdrawn_link_is_refused(self, school, admin_user, client):
        invitation, raw = _invite(school, admin_user)
        services.invitation_revoke(invitation=invitation)
        assert client.get(f"/invite/{raw}/").status_code == 410

    def test_unknown_link_is_404(self, client, db):
        assert client.get("/invite/not-a-real-token/").status_code == 404

    def test_weak_password_creates_nothing(self, school, admin_user, client):
        _invitation, raw = _invite(school, admin_user)
        response = client.post(f"/invite/{raw}/", {"full_name": "A B", "password": "123"})
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
        assert not User.objects.filter(email="moi@example.test").exists()
        assert Invitation.objects.get().status == "pending"

    def test_existing_account_must_sign_in_as_the_invited_address(self, school, admin_user, client):
        other = UserFactory()
        existing = UserFactory(email="moi@example.test")
        _invitation, raw = _invite(school, admin_user)
        client.force_login(other)
        response = client.post(f"/invite/{raw}/")
        assert response.status_code == 400
        assert "moi@example.test" in response.content.decode()
        client.force_login(existing)
        assert client.post(f"/invite/{raw}/").status_code == 302
        assert Membership.objects.filter(user=existing, school=school).exists()

    def test_admin_page_sends_and_withdraws(self, school, admin_user, client):
        client.force_login(admin_user)
        response = client.post(
            f"/schools/{school.slug}/people/", {"email": "gv@example.test", "role": "teacher"}
        )
        assert response.status_code == 200
        invitation = Invitation.objects.get(email="gv@example.test")
        assert invitation.role == Role.TEACHER
        client.post(f"/schools/{school.slug}/invitations/{invitation.pk}/revoke/")
        invitation.refresh_from_db()
        assert invitation.status == "revoked"

    def test_people_page_is_404_for_non_admins(self, school, teacher, client):
        client.force_login(teacher)
        assert client.get(f"/schools/{school.slug}/people/").status_code == 404


@pytest.mark.django_db
class TestInvitationApi:
    def test_admin_creates_lists_and_revokes(self, school, admin_user, api_client):
        api_client.force_authenticate(admin_user)
        url = f"/api/v1/schools/{school.slug}/invitations/"
        created = api_client.post(url, {"email": "hs@example.test", "role": "student"})
        assert created.status_code == 201
        assert "/invite/" in created.json()["link"]
        listed = api_client.get(url).json()
        assert listed["count"] == 1 and "link" not in listed["results"][0]
        revoked = api_client.post(f"{url}{created.json()['id']}/revoke/")
        assert revoked.json()["status"] == "revoked"

    def test_bad_input_gets_a_clear_message(self, school, admin_user, api_client):
        api_client.force_authenticate(admin_user)
        url = f"/api/v1/schools/{school.slug}/invitations/"
        response = api_client.post(url, {"email": "not-an-address", "role": "wizard"})
        assert response.status_code == 400
        body = response.json()
        assert set(body) == {"detail", "code", "fields"}
        assert set(body["fields"]) == {"email", "role"}

    def test_same_role_twice_is_a_conflict(self, school, admin_user, api_client):
        existing = member(school, Role.STUDENT, email="da-co@example.test")
        api_client.force_authenticate(admin_user)
        url = f"/api/v1/schools/{school.slug}/invitations/"
        response = api_client.post(url, {"email": existing.email, "role": "student"})
        assert response.status_code == 409
        assert response.json()["fields"]["email"]

    def test_non_admins_and_unknown_schools_get_404(self, school, teacher, api_client):
        api_client.force_authenticate(teacher)
        assert api_client.get(f"/api/v1/schools/{school.slug}/invitations/").status_code == 404
        assert api_client.get("/api/v1/schools/no-such-school/invitations/").status_code == 404

    def test_accept_through_the_api(self, school, admin_user, api_client):
        _invitation, raw = _invite(school, admin_user, email="api@example.test")
        url = f"/api/v1/invitations/{raw}/accept/"
        weak = api_client.post(url, {"full_name": "Lê Văn A", "password": "1"})
        assert weak.status_code == 400 and weak.json()["fields"]["password"]
        assert not User.objects.filter(email="api@example.test").exists()
        ok = api_client.post(url, {"full_name": "Lê Văn A", "password": "hoc-tot-2026!"})
        assert ok.status_code == 200
        assert ok.json()["schools"][0]["roles"] == ["student"]
        again = api_client.post(url, {"full_name": "Lê Văn A", "password": "hoc-tot-2026!"})
        assert again.status_code == 410
        assert again.json()["code"] == "invitation_used"
        assert User.objects.get(email="api@example.test").check_password("hoc-tot-2026!")

    def test_password_fixture_is_the_factory_password(self, password):
        assert password == PASSWORD
