import pytest
from django.core.management import call_command

from lms.demo import DEMO_PASSWORDS
from lms.models import Membership, Role, User


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_its_logins_work(client):
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    counts = {role: Membership.objects.filter(role=role).count() for role in Role.values}
    assert counts == {Role.ADMIN: 1, Role.TEACHER: 2, Role.STUDENT: 30}
    assert User.objects.filter(full_name__contains="Nguyễn").exists()
    for email, role in (
        ("quantri@demo.lophoc.test", Role.ADMIN),
        ("giaovien1@demo.lophoc.test", Role.TEACHER),
        ("hocsinh01@demo.lophoc.test", Role.STUDENT),
    ):
        response = client.post(
            "/accounts/login/", {"username": email, "password": DEMO_PASSWORDS[role]}
        )
        assert response.status_code == 302, email
        client.logout()
    assert client.get("/learn/demo/").status_code == 200


@pytest.mark.django_db
def test_demo_has_a_live_lesson_open_now_and_weekly_schedules():
    from datetime import timedelta

    from django.utils import timezone

    from classrooms.models import LiveSeries, LiveSession

    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")
    now = timezone.now()
    open_now = LiveSession.objects.filter(
        starts_at__lte=now + timedelta(minutes=10), ends_at__gt=now
    )
    assert open_now.count() == 1
    assert LiveSeries.objects.count() == 2
