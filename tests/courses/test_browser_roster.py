import pytest

from lms.models import Role
from tests.factories.courses import CourseFactory, enrol, roster_csv
from tests.factories.lms import member


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_teacher_imports_a_roster_with_one_bad_row(page, live_server, school, teacher, password):
    course = CourseFactory(school=school, code="TOAN-10A", title="Toán 10A")
    enrol(course, teacher, "teacher")
    domain = school.allowed_email_domains[0]
    an = member(school, Role.STUDENT, email=f"an@{domain}", full_name="Lê Văn An")
    binh = member(school, Role.STUDENT, email=f"binh@{domain}", full_name="Trần Thị Bình")
    data = roster_csv(
        [
            (an.email, an.full_name, "student"),
            (binh.email, binh.full_name, "học sinh"),
            (f"hoa@{domain}", "Nguyễn Thị Hoa", "student"),
            ("không-phải-email", "Sai Địa Chỉ", "student"),
        ]
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", teacher.email)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.click(f"a[href='/courses/{course.pk}/roster/']")
    page.wait_for_url(f"{live_server.url}/courses/{course.pk}/roster/")

    page.set_input_files(
        "[data-testid=import-form] input[type=file]",
        files=[{"name": "lop-10a.csv", "mimeType": "text/csv", "buffer": data}],
    )
    page.click("[data-testid=import-form] button[type=submit]")
    table = page.locator("[data-testid=preview-table]")
    table.wait_for()
    bad = table.locator("tr[data-verdict=error]")
    assert bad.count() == 1
    assert "Sai Địa Chỉ" in bad.inner_text()
    assert "not a valid e-mail" in bad.inner_text()
    assert table.locator("tr[data-verdict=existing]").count() == 2
    assert table.locator("tr[data-verdict=new]").count() == 1

    page.click("[data-testid=apply]")
    page.wait_for_url(f"{live_server.url}/courses/{course.pk}/roster/")
    assert "2 enrolled, 1 invited" in page.locator(".alert-success").inner_text()
    roster = page.locator("[data-testid=roster-table]")
    assert roster.locator(f"tr[data-email='{an.email}'][data-status=active]").count() == 1
    assert roster.locator(f"tr[data-email='{binh.email}'][data-status=active]").count() == 1
    assert "Trần Thị Bình" in roster.inner_text()
    pending = page.locator("[data-testid=pending-table]")
    assert f"hoa@{domain}" in pending.inner_text()
    assert "Sai Địa Chỉ" not in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_roster_page_fits_a_phone(browser, live_server, school, teacher, password):
    course = CourseFactory(school=school)
    enrol(course, teacher, "teacher")
    enrol(course, member(school, full_name="Nguyễn Hoàng Phương Thảo Nguyên"))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("input[name=username]", teacher.email)
    tab.fill("input[name=password]", password)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/dashboard/")
    overflow = {}
    for url in (f"/courses/{course.pk}/roster/", "/dashboard/"):
        tab.goto(live_server.url + url)
        overflow[url] = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    assert overflow == dict.fromkeys(overflow, False)
