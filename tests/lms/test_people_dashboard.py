"""The school administrator's dashboard: the school at a glance, today's lessons across the
school, pending invitations, and designed empty states."""

import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lms import services
from lms.models import Invitation
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory
from tests.factories.lms import SchoolFactory

pytestmark = pytest.mark.django_db


def local_today(school, hour: int, days: int = 0) -> datetime:
    zone = zoneinfo.ZoneInfo(school.time_zone)
    day = timezone.now().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=zone)


def invite(school, by, email, name=""):
    return services.invitation_create(
        school=school, email=email, role="student", invited_by=by, full_name=name
    )[0]


def test_empty_school_has_designed_empty_states(client, school, admin_user):
    client.force_login(admin_user)
    body = client.get("/dashboard/").content.decode()
    assert 'data-testid="school-panel"' in body
    assert 'data-testid="no-pending"' in body and "Everyone you invited has answered" in body
    assert 'data-testid="no-school-lessons"' in body
    assert "No live lessons are scheduled in the school today" in body
    assert f"/schools/{school.slug}/people/invite/" in body


def test_pending_invitations_in_vietnamese_order(client, school, admin_user):
    invite(school, admin_user, "d@gmail.com", "Đặng Văn Đức")
    invite(school, admin_user, "b@gmail.com", "Trần Thị Bình")
    invite(school, admin_user, "a@gmail.com", "Nguyễn Văn An")
    accepted = invite(school, admin_user, "x@gmail.com", "Đã Nhận")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    expired = invite(school, admin_user, "y@gmail.com", "Hết Hạn")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    client.force_login(admin_user)
    body = client.get("/dashboard/").content.decode()
    panel = body[body.index('data-testid="pending-invitations"') :]
    order = [panel.index(n) for n in ("Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Đức")]
    assert order == sorted(order)
    assert "Đã Nhận" not in body and "Hết Hạn" not in body
    assert '<div class="kpi" data-testid="count-pending">3</div>' in body


def test_todays_lessons_across_the_school(client, school, admin_user, teacher):
    toan = CourseFactory(school=school, code="TOAN-10A", title="Toán 10A")
    van = CourseFactory(school=school, code="VAN-11B", title="Văn 11B")
    LiveSessionFactory(course=van, starts_at=local_today(school, 15), title="Bài thơ")
    LiveSessionFactory(course=toan, starts_at=local_today(school, 9), title="Hàm số")
    LiveSessionFactory(course=toan, starts_at=local_today(school, 9, days=1), title="Ngày mai")
    LiveSessionFactory(course=toan, starts_at=local_today(school, 9, days=-1), title="Hôm qua")
    other = CourseFactory(school=SchoolFactory(), code="KHAC")
    LiveSessionFactory(course=other, starts_at=local_today(school, 10), title="Trường khác")
    client.force_login(admin_user)
    body = client.get("/dashboard/").content.decode()
    table = body[body.index('data-testid="school-lessons"') :]
    assert table.index("Hàm số") < table.index("Bài thơ")
    assert "TOAN-10A" in table and "VAN-11B" in table
    for absent in ("Ngày mai", "Hôm qua", "Trường khác"):
        assert absent not in body
    # A teacher of the school does not get the administrator's panels.
    client.force_login(teacher)
    body = client.get("/dashboard/").content.decode()
    assert 'data-testid="school-lessons-panel"' not in body
    assert 'data-testid="school-panel"' not in body


def test_dashboard_queries_do_not_grow_with_the_school(client, school, admin_user):
    client.force_login(admin_user)

    def grow(n):
        for i in range(n):
            course = CourseFactory(school=school)
            LiveSessionFactory(course=course, starts_at=local_today(school, 8 + i % 12))
            invite(school, admin_user, f"p{course.pk}@gmail.com", f"Người {i}")

    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/dashboard/").status_code == 200
    grow(25)
    with CaptureQueriesContext(connection) as large:
        body = client.get("/dashboard/").content.decode()
    assert body.count("<tr data-session=") == 27
    assert len(large) == len(small)
