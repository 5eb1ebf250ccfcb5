import pytest
from django.core.management import call_command

from lms.demo import DEMO_PASSWORDS
from lms.models import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_student_signs_in_sees_dashboard_and_switches_language(browser, live_server):
    call_command("seed_demo", "--quiet-logins")
    # A browser in Vietnam, as the demo school's students use.
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=username]", "hocsinh01@demo.lophoc.test")
    page.fill("input[name=password]", DEMO_PASSWORDS[Role.STUDENT])
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert page.locator("[data-testid=school-card]").count() == 1

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Hello")
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"  # remembered
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_phone(browser, live_server, student, password):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/accounts/login/")
    tab.fill("input[name=username]", student.email)
    tab.fill("input[name=password]", password)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(f"{live_server.url}/dashboard/")
    overflow = tab.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    context.close()
    assert not overflow
