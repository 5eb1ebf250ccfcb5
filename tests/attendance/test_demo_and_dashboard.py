"""The demo fills every attendance report on the first run, and the administrator's dashboard
shows the school at a glance; empty reports offer no export."""

import pytest
from django.core.management import call_command

from attendance.models import AttendanceMark, Dispute
from lms.models import Notification, User
from tests.factories import attendance as f
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def test_demo_history_fills_the_reports_and_the_admin_dashboard(client):
    call_command("seed_demo", "--quiet-logins")
    call_command("seed_demo", "--quiet-logins")  # idempotent
    marks = AttendanceMark.objects.filter(is_final=True)
    statuses = set(marks.values_list("status", flat=True))
    assert {"present", "late", "left_early", "absent", "excused"} <= statuses
    days = marks.values_list("session__starts_at", flat=True)
    assert (max(days) - min(days)).days >= 20  # four weeks of history
    excused = marks.get(status="excused")
    assert excused.override_reason and excused.overridden_by
    assert Dispute.objects.filter(status="open").count() == 1
    admin = User.objects.get(email="quantri@demo.lophoc.test")
    assert Notification.objects.filter(user=admin, kind="chronic").count() == 1
    client.force_login(admin)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="attendance-school-panel"' in page
    assert 'data-testid="under-threshold"' in page and 'data-testid="open-disputes"' in page
    school = admin.memberships.get().school
    report = client.get(f"/attendance/schools/{school.slug}/").content.decode()
    assert 'data-testid="export-buttons"' in report


def test_empty_reports_offer_no_export_and_no_rate_over_zero_lessons(client, school, teacher):
    student = member(school, "student")
    course = f.course_with(school, teacher, [student])
    client.force_login(teacher)
    page = client.get(f"/attendance/courses/{course.pk}/").content.decode()
    assert "export=" not in page
    client.force_login(student)
    mine = client.get("/attendance/me/").content.decode()
    assert "export=" not in mine and "over 0" not in mine and "No lesson counted yet." in mine


def test_admin_panel_says_why_no_chronic_alert_went_out_yet(client, school, teacher):
    admin = member(school, "admin")
    student = member(school, "student", full_name="Đỗ Văn An")
    course = f.course_with(school, teacher, [student])
    from attendance import services

    services.marks_compute(session=f.lesson(course, status="ended"))  # 1 lesson, absent
    client.force_login(admin)
    page = client.get("/dashboard/").content.decode()
    assert "Đỗ Văn An" in page and "2 more lessons needed" in page
