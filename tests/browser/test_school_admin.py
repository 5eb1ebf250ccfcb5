"""A school's first week in Chromium, in Vietnamese, on a phone and a laptop: the administrator's
dashboard, and a teacher's roster import with a Gmail address, shown in Vietnamese order."""

import os
import zoneinfo
from datetime import datetime, time

import pytest
from django.utils import timezone

from lms import services
from lms.models import Role
from tests.factories.classrooms import LiveSessionFactory
from tests.factories.courses import CourseFactory, enrol, roster_csv
from tests.factories.lms import member

SIZES = [(360, 740), (1280, 800)]


def sign_in(browser, live_server, user, password, width, height):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("input[name=username]", user.email)
    tab.fill("input[name=password]", password)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/dashboard/")
    return context, tab


def shot(tab, name: str) -> None:
    """Full-page screenshots for a person to look at, when LOPHOC_SCREENSHOTS names a folder."""
    folder = os.environ.get("LOPHOC_SCREENSHOTS")
    if folder:
        tab.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def overflows(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def in_order(text: str, names: list[str]) -> bool:
    positions = [text.index(name) for name in names]
    return positions == sorted(positions)


def local_today(school, hour: int) -> datetime:
    zone = zoneinfo.ZoneInfo(school.time_zone)
    day = timezone.now().astimezone(zone).date()
    return datetime.combine(day, time(hour), tzinfo=zone)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_admin_dashboard_shows_the_school_at_a_glance(
    browser, live_server, school, password, width, height
):
    admin = member(school, Role.ADMIN, full_name="Hoàng Thị Hiệu", preferred_language="vi")
    toan = CourseFactory(school=school, code="TOAN-10A", title="Toán 10A")
    van = CourseFactory(school=school, code="VAN-11B", title="Ngữ văn 11B")
    LiveSessionFactory(course=van, starts_at=local_today(school, 14), title="Truyện Kiều")
    LiveSessionFactory(course=toan, starts_at=local_today(school, 8), title="Hàm số bậc hai")
    for email, name in (
        ("duc@gmail.com", "Đặng Văn Đức"),
        ("binh@gmail.com", "Trần Thị Bình"),
        ("an@gmail.com", "Nguyễn Văn An"),
    ):
        services.invitation_create(
            school=school, email=email, role=Role.STUDENT, invited_by=admin, full_name=name
        )

    context, tab = sign_in(browser, live_server, admin, password, width, height)
    panel = tab.locator("[data-testid=school-panel]")
    assert f"Tổng quan {school.name}" in panel.locator("h2").inner_text()
    assert panel.locator("[data-testid=count-pending]").inner_text() == "3"
    pending = panel.locator("[data-testid=pending-invitations]").inner_text()
    assert in_order(pending, ["Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Đức"])
    lessons = tab.locator("[data-testid=school-lessons-panel]")
    assert "Buổi học trực tuyến hôm nay" in lessons.locator("h2").inner_text()
    assert in_order(lessons.inner_text(), ["Hàm số bậc hai", "Truyện Kiều"])
    assert lessons.locator("tr[data-session]").count() == 2
    assert not overflows(tab)
    shot(tab, f"school-dashboard-{width}")

    # From the panel to People: the invitations are there, with a way to send several at once.
    panel.locator(f"a[href='/schools/{school.slug}/people/']").first.click()
    tab.wait_for_url(f"{live_server.url}/schools/{school.slug}/people/")
    assert tab.locator("h1").inner_text() == "Thành viên"
    assert tab.locator("[data-testid=invitations] [data-testid=resend]").count() == 3
    assert not overflows(tab)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_teacher_imports_a_gmail_address_and_sees_vietnamese_order(
    browser, live_server, school, password, width, height
):
    teacher = member(school, Role.TEACHER, full_name="Lý Thị Giáo", preferred_language="vi")
    course = CourseFactory(school=school, code="TOAN-10A", title="Toán 10A")
    enrol(course, teacher, "teacher")
    domain = school.allowed_email_domains[0]
    members = {
        name: member(school, email=f"{key}@{domain}", full_name=name)
        for key, name in (
            ("duc", "Đặng Văn Đức"),
            ("dung", "Phạm Văn Dũng"),
            ("binh", "Trần Thị Bình"),
            ("an", "Nguyễn Văn An"),
        )
    }
    data = roster_csv(
        [(u.email, name, "Học sinh") for name, u in members.items()]
        + [
            ("Lan.Vu@Gmail.com", "Vũ Thị Lan", "Học sinh"),
            ("an.tro@gmail.com", "Ân Văn Trợ", "Học sinh"),
            # Only the school's administrators make someone staff of the school.
            ("tro.giang@gmail.com", "Hồ Văn Giảng", "Trợ giảng"),
        ],
        header=("Email", "Họ và tên", "Vai trò"),
    )

    context, tab = sign_in(browser, live_server, teacher, password, width, height)
    tab.goto(f"{live_server.url}/courses/{course.pk}/roster/")
    help_text = tab.locator("[data-testid=import-form] .help").inner_text()
    assert "“họ tên”" in help_text and "“trợ giảng”" in help_text and "Gmail" in help_text
    tab.set_input_files(
        "[data-testid=import-form] input[type=file]",
        files=[{"name": "lop-10a.csv", "mimeType": "text/csv", "buffer": data}],
    )
    tab.click("[data-testid=import-form] button[type=submit]")
    table = tab.locator("[data-testid=preview-table]")
    table.wait_for()
    headline = tab.locator("[data-testid=preview-headline]").inner_text()
    assert "6 trên 7 dòng sẽ thay đổi khoá học" in headline and "1 dòng bị từ chối" in headline
    gmail = table.locator("tr[data-verdict=new]", has_text="lan.vu@gmail.com")
    assert "Vũ Thị Lan" in gmail.inner_text() and "học sinh" in gmail.inner_text()
    assistant = table.locator("tr", has_text="tro.giang@gmail.com").inner_text()
    assert "trợ giảng" in assistant and "Chỉ quản trị viên của trường" in assistant
    assert "assistant" not in table.inner_text() and "student" not in table.inner_text()
    assert not overflows(tab)
    shot(tab, f"roster-preview-{width}")

    tab.click("[data-testid=apply]")
    tab.wait_for_url(f"{live_server.url}/courses/{course.pk}/roster/")
    roster = tab.locator("[data-testid=roster-table] tbody").inner_text()
    # Given name first, Vietnamese letters: An, Bình, Dũng, Đức (Đ after D), staff first.
    assert in_order(
        roster,
        ["Lý Thị Giáo", "Nguyễn Văn An", "Trần Thị Bình", "Phạm Văn Dũng", "Đặng Văn Đức"],
    )
    pending = tab.locator("[data-testid=pending-table]").inner_text()
    assert "lan.vu@gmail.com" in pending and "Vũ Thị Lan" in pending
    assert in_order(pending, ["Vũ Thị Lan", "Ân Văn Trợ"])
    assert not overflows(tab)
    shot(tab, f"roster-{width}")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_invites_several_people_from_a_phone(browser, live_server, school, password):
    admin = member(school, Role.ADMIN, full_name="Hoàng Thị Hiệu", preferred_language="vi")
    context, tab = sign_in(browser, live_server, admin, password, 360, 740)
    tab.goto(f"{live_server.url}/schools/{school.slug}/people/invite/")
    tab.fill(
        "textarea[name=text]",
        "Nguyễn Văn An <an@gmail.com>\nkhông có địa chỉ\nTrần Thị Bình, binh@gmail.com",
    )
    tab.click("button[value=preview]")
    preview = tab.locator("[data-testid=batch-preview]")
    preview.wait_for()
    assert (
        "2 trên 3 người sẽ nhận lời mời" in tab.locator("[data-testid=batch-headline]").inner_text()
    )
    assert preview.locator("tr[data-verdict=error]").count() == 1
    assert not overflows(tab)
    shot(tab, "invite-many-360")
    tab.click("[data-testid=batch-apply]")
    tab.wait_for_url(f"{live_server.url}/schools/{school.slug}/people/")
    assert "Đã gửi lời mời: 2" in tab.locator(".alert-success").inner_text()
    assert tab.locator("[data-testid=invitations] [data-email='an@gmail.com']").count() == 1
    context.close()
