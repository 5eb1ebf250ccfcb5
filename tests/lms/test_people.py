"""People of a school: roles, deactivation, resending and batch invitations (services, API,
pages)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from lms import people, services
from lms.errors import Conflict, NotFound, ServiceError
from lms.models import Invitation, Membership, Role, User
from lms.tokens import hash_secret
from tests.factories.lms import PASSWORD, SchoolFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def roles_of(user, school):
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


# --- Roles ----------------------------------------------------------------------------------


def test_admin_changes_a_role(school, admin_user, student):
    people.membership_roles_set(by=admin_user, school=school, user_id=student.pk, roles=["teacher"])
    assert roles_of(student, school) == {"teacher"}
    people.membership_roles_set(
        by=admin_user, school=school, user_id=student.pk, roles=["teacher", "admin"]
    )
    assert roles_of(student, school) == {"teacher", "admin"}


def test_new_role_runs_the_membership_hook(school, admin_user, student):
    # A roster import promised this person a teaching place: it is kept once they are a teacher.
    from courses.models import Enrollment, PendingEnrollment
    from tests.factories.courses import CourseFactory

    course = CourseFactory(school=school)
    PendingEnrollment.objects.create(course=course, email=student.email, role="teacher")
    people.membership_roles_set(
        by=admin_user, school=school, user_id=student.pk, roles=["student", "teacher"]
    )
    assert Enrollment.objects.filter(course=course, user=student, role="teacher").exists()


def test_role_changes_are_refused_with_reasons(school, admin_user, student):
    with pytest.raises(ServiceError, match="at least one role"):
        people.membership_roles_set(by=admin_user, school=school, user_id=student.pk, roles=[])
    with pytest.raises(ServiceError, match="Unknown role"):
        people.membership_roles_set(
            by=admin_user, school=school, user_id=student.pk, roles=["principal"]
        )
    with pytest.raises(Conflict, match="your own administrator role"):
        people.membership_roles_set(
            by=admin_user, school=school, user_id=admin_user.pk, roles=["teacher"]
        )
    other_admin = member(school, Role.ADMIN)
    # With a second administrator, the first one's admin role may go.
    people.membership_roles_set(
        by=other_admin, school=school, user_id=admin_user.pk, roles=["teacher"]
    )
    assert roles_of(admin_user, school) == {"teacher"}


def test_school_keeps_one_administrator(school, admin_user):
    second = member(school, Role.ADMIN)
    people.school_user_set_active(by=second, school=school, user_id=admin_user.pk, active=False)
    # `second` is now the only active administrator: nobody may take that away.
    with pytest.raises(Conflict, match="at least one administrator"):
        people.membership_roles_set(
            by=admin_user, school=school, user_id=second.pk, roles=["teacher"]
        )


def test_only_the_schools_admins_act_and_only_on_its_people(school, admin_user, teacher):
    outsider = member(SchoolFactory(), Role.STUDENT)
    with pytest.raises(NotFound):
        people.membership_roles_set(by=teacher, school=school, user_id=admin_user.pk, roles=[])
    with pytest.raises(NotFound):
        people.membership_roles_set(
            by=admin_user, school=school, user_id=outsider.pk, roles=["student"]
        )
    with pytest.raises(NotFound):
        people.school_user_set_active(
            by=admin_user, school=school, user_id=outsider.pk, active=False
        )
    assert roles_of(outsider, outsider.memberships.get().school) == {"student"}


# --- Deactivation ---------------------------------------------------------------------------


def test_deactivate_and_reactivate(school, admin_user, student, client, api_client):
    token_user = student
    _token, raw = services.api_token_create(user=token_user, name="script")
    people.school_user_set_active(by=admin_user, school=school, user_id=student.pk, active=False)
    student.refresh_from_db()
    assert not student.is_active
    assert Membership.objects.filter(user=student, school=school).exists()  # roles kept
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 401
    login = {"username": student.email, "password": PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 200  # refused, form again
    people.school_user_set_active(by=admin_user, school=school, user_id=student.pk, active=True)
    assert client.post("/accounts/login/", login).status_code == 302


def test_deactivation_refusals(school, admin_user, student):
    with pytest.raises(Conflict, match="your own account"):
        people.school_user_set_active(
            by=admin_user, school=school, user_id=admin_user.pk, active=False
        )
    Membership.objects.create(user=student, school=SchoolFactory(), role=Role.STUDENT)
    with pytest.raises(Conflict, match="another school"):
        people.school_user_set_active(
            by=admin_user, school=school, user_id=student.pk, active=False
        )
    student.refresh_from_db()
    assert student.is_active


# --- Invitations ----------------------------------------------------------------------------


def test_admin_invites_a_gmail_address_with_a_name(
    school, admin_user, django_capture_on_commit_callbacks
):
    assert not school.accepts_email("lan.nguyen@gmail.com")  # self sign-up would refuse it
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _raw = people.invitation_invite(
            by=admin_user,
            school=school,
            email="Lan.Nguyen@Gmail.com",
            role=Role.STUDENT,
            full_name="Nguyễn Thị Lan",
        )
    assert invitation.email == "lan.nguyen@gmail.com"
    assert invitation.full_name == "Nguyễn Thị Lan"
    body = mail.outbox[0].body  # in the school's language, Vietnamese
    assert body.startswith("Xin chào Nguyễn Thị Lan,")
    assert f"{admin_user.full_name} mời bạn tham gia {school.name}" in body
    assert "học sinh" in body


def test_resend_gives_a_new_link_and_the_old_one_dies(
    school, admin_user, django_capture_on_commit_callbacks
):
    invitation, old = services.invitation_create(
        school=school, email="a@gmail.com", role=Role.STUDENT, invited_by=admin_user
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation, new = people.invitation_resend(
            by=admin_user, school=school, invitation_id=invitation.pk
        )
    assert new != old
    assert invitation.status == "pending"
    assert Invitation.objects.get(pk=invitation.pk).token_hash == hash_secret(new)
    assert f"/invite/{new}/" in mail.outbox[-1].body
    with pytest.raises(NotFound):
        services.invitation_for_token(old)
    services.invitation_revoke(invitation=invitation)
    with pytest.raises(Conflict, match="withdrawn"):
        people.invitation_resend(by=admin_user, school=school, invitation_id=invitation.pk)


BATCH = """Nguyễn Văn An <an@gmail.com>
Trần Thị Bình, binh@truong.edu.vn
cuong@yahoo.com\tLê Văn Cường
không có địa chỉ
Đặng Dũng <an@gmail.com>

{existing}
"""


def test_batch_preview_then_apply(school, admin_user, django_capture_on_commit_callbacks):
    existing = member(school, Role.STUDENT, email="co@gmail.com", full_name="Phạm Cơ")
    text = BATCH.format(existing=f"Phạm Cơ <{existing.email}>")
    preview = people.invitation_batch_preview(
        by=admin_user, school=school, text=text, role=Role.STUDENT
    )
    rows = {row.line: row for row in preview["rows"]}
    assert (rows[1].full_name, rows[1].email, rows[1].verdict) == (
        "Nguyễn Văn An",
        "an@gmail.com",
        "invite",
    )
    assert (rows[2].full_name, rows[2].email) == ("Trần Thị Bình", "binh@truong.edu.vn")
    assert (rows[3].full_name, rows[3].email) == ("Lê Văn Cường", "cuong@yahoo.com")
    assert rows[4].verdict == "error" and "no valid e-mail" in rows[4].message
    assert rows[5].verdict == "error" and "Duplicate of line 1" in rows[5].message
    assert rows[7].verdict == "member"
    assert preview["summary"] == {"rows": 6, "invite": 3, "member": 1, "invited": 0, "error": 2}
    assert not Invitation.objects.exists()  # a preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        result = people.invitation_batch_apply(
            by=admin_user, school=school, text=text, role=Role.STUDENT
        )
    assert result["sent"] == 3
    names = dict(Invitation.objects.values_list("email", "full_name"))
    assert names == {
        "an@gmail.com": "Nguyễn Văn An",
        "binh@truong.edu.vn": "Trần Thị Bình",
        "cuong@yahoo.com": "Lê Văn Cường",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(names)
    assert any(m.body.startswith("Xin chào Nguyễn Văn An,") for m in mail.outbox)
    again = people.invitation_batch_apply(
        by=admin_user, school=school, text=text, role=Role.STUDENT
    )
    assert again["sent"] == 0 and again["invited"] == 3


def test_batch_refuses_bad_input_clearly(school, admin_user):
    with pytest.raises(ServiceError, match="one person per line"):
        people.invitation_batch_preview(by=admin_user, school=school, text=" \n ", role="student")
    with pytest.raises(ServiceError, match="Unknown role"):
        people.invitation_batch_preview(by=admin_user, school=school, text="a@b.vn", role="x")
    with pytest.raises(ServiceError, match="At most 500"):
        people.invitation_batch_preview(
            by=admin_user,
            school=school,
            text="\n".join(f"p{i}@gmail.com" for i in range(501)),
            role="student",
        )


@pytest.mark.parametrize("size", [5, 60])
def test_batch_preview_queries_do_not_grow(school, admin_user, size):
    text = "\n".join(f"Người {i} <p{i}@gmail.com>" for i in range(size))
    with CaptureQueriesContext(connection) as queries:
        people.invitation_batch_preview(by=admin_user, school=school, text=text, role="student")
    assert len(queries) == 3  # admin check, members, open invitations


# --- API ------------------------------------------------------------------------------------


def test_api_person_roles_and_deactivation(api_client, school, admin_user, student):
    api_client.force_authenticate(admin_user)
    url = f"/api/v1/schools/{school.slug}/users/{student.pk}/"
    response = api_client.patch(url, {"roles": ["teacher"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["roles"] == ["teacher"]
    response = api_client.patch(url, {"is_active": False}, format="json")
    assert response.json()["is_active"] is False
    response = api_client.patch(url, {"roles": []}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"].keys() == {"roles"}
    own = f"/api/v1/schools/{school.slug}/users/{admin_user.pk}/"
    response = api_client.patch(own, {"is_active": False}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "own account" in response.json()["detail"]
    api_client.force_authenticate(student)
    assert api_client.patch(url, {"roles": ["admin"]}, format="json").status_code == 404


def test_api_invite_resend_and_batch(api_client, school, admin_user):
    api_client.force_authenticate(admin_user)
    base = f"/api/v1/schools/{school.slug}/invitations/"
    response = api_client.post(
        base,
        {"email": "hoa@gmail.com", "role": "student", "full_name": "Nguyễn Thị Hoa"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["full_name"] == "Nguyễn Thị Hoa"
    response = api_client.post(f"{base}{created['id']}/resend/")
    assert response.status_code == 200
    assert response.json()["link"] != created["link"]
    text = "Lê An <an@gmail.com>\nsai"
    preview = api_client.post(f"{base}batch/", {"text": text, "role": "teacher"}, format="json")
    assert preview.status_code == 200
    assert preview.json()["summary"]["invite"] == 1
    assert [r["verdict"] for r in preview.json()["rows"]] == ["invite", "error"]
    applied = api_client.post(
        f"{base}batch/", {"text": text, "role": "teacher", "apply": True}, format="json"
    )
    assert applied.json()["summary"]["sent"] == 1
    assert Invitation.objects.filter(email="an@gmail.com", role="teacher").exists()
    bad = api_client.post(f"{base}batch/", {"text": "", "role": "teacher"}, format="json")
    assert bad.status_code == 400


@pytest.mark.parametrize("size", [3, 40])
def test_api_people_list_in_vietnamese_order_with_constant_queries(
    api_client, school, admin_user, size
):
    for i in range(size):
        member(school, Role.STUDENT, full_name=f"Trần Văn Z{i}")
    member(school, Role.STUDENT, full_name="Đỗ Thị Đào")
    member(school, Role.STUDENT, full_name="Nguyễn Văn Dũng")
    member(school, Role.STUDENT, full_name="Lê Anh")
    api_client.force_authenticate(admin_user)
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/schools/{school.slug}/users/?page_size=200")
    assert response.status_code == 200
    names = [u["full_name"] for u in response.json()["results"]]
    assert names.index("Lê Anh") < names.index("Nguyễn Văn Dũng") < names.index("Đỗ Thị Đào")
    assert len(queries) <= 6


# --- Pages ----------------------------------------------------------------------------------


def test_people_page_actions(client, school, admin_user, student):
    client.force_login(admin_user)
    page = f"/schools/{school.slug}/people/"
    body = client.get(page).content.decode()
    assert student.email in body and "Deactivate" in body
    response = client.post(
        f"{page}{student.pk}/roles/", {"roles": ["teacher", "student"], "next": page + "?q=x"}
    )
    assert response.status_code == 302 and response["Location"] == page + "?q=x"
    assert roles_of(student, school) == {"teacher", "student"}
    client.post(f"{page}{student.pk}/active/", {"action": "deactivate"})
    assert not User.objects.get(pk=student.pk).is_active
    body = client.get(page).content.decode()
    assert "deactivated" in body and "Reactivate" in body
    # a foreign `next` is ignored
    response = client.post(
        f"{page}{student.pk}/active/", {"action": "reactivate", "next": "https://evil.test/"}
    )
    assert response["Location"] == page
    assert User.objects.get(pk=student.pk).is_active


def test_people_page_invites_gmail_and_resends(client, school, admin_user):
    client.force_login(admin_user)
    page = f"/schools/{school.slug}/people/"
    response = client.post(
        page, {"email": "minh@gmail.com", "full_name": "Hoàng Minh", "role": "student"}
    )
    assert response.status_code == 200
    assert "An invitation was sent to minh@gmail.com" in response.content.decode()
    invitation = Invitation.objects.get(email="minh@gmail.com")
    response = client.post(f"/schools/{school.slug}/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    bad = client.post(page, {"email": "không-phải", "full_name": "", "role": "student"})
    assert bad.status_code == 400


def test_invite_many_page_previews_then_applies(client, school, admin_user):
    client.force_login(admin_user)
    url = f"/schools/{school.slug}/people/invite/"
    text = "Nguyễn Văn An <an@gmail.com>\nsai dòng\nTrần Bình, binh@gmail.com"
    response = client.post(url, {"text": text, "role": "student", "action": "preview"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 of 3 people will get an invitation" in body and "1 line is refused" in body
    assert not Invitation.objects.exists()
    previewed = response.context["previewed"]
    # Text edited after the preview: shown again, not sent.
    edited = client.post(
        url,
        {
            "text": text + "\nX <x@gmail.com>",
            "role": "student",
            "action": "apply",
            "previewed": previewed,
        },
    )
    assert edited.status_code == 200 and not Invitation.objects.exists()
    response = client.post(
        url, {"text": text, "role": "student", "action": "apply", "previewed": previewed}
    )
    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def test_people_pages_are_for_the_schools_admins_only(client, school, teacher):
    client.force_login(teacher)
    for url in (
        f"/schools/{school.slug}/people/",
        f"/schools/{school.slug}/people/invite/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/schools/{school.slug}/people/{teacher.pk}/roles/", {"roles": ["admin"]})
    assert roles_of(teacher, school) == {"teacher"}


def test_accept_page_offers_the_name_the_school_typed(client, school, admin_user):
    _invitation, raw = people.invitation_invite(
        by=admin_user, school=school, email="lan@gmail.com", role="student", full_name="Vũ Thị Lan"
    )
    body = client.get(f"/invite/{raw}/").content.decode()
    assert 'value="Vũ Thị Lan"' in body
