"""The top navigation on a phone: behind an accessible menu button; on a desktop: in the bar."""

import pytest

from tests.factories.lms import PASSWORD


def _signed_in(browser, live_server, user, width, **options):
    user.preferred_language, user.language_chosen = "vi", False  # the vi-VN browser decides
    user.save()
    context = browser.new_context(
        viewport={"width": width, "height": 740}, locale="vi-VN", **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_menu_opens_closes_and_fits(browser, live_server, student):
    context, page = _signed_in(browser, live_server, student, 360)
    try:
        toggle = page.get_by_test_id("nav-toggle")
        nav = page.locator("#main-nav")
        assert toggle.is_visible() and not nav.is_visible()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert toggle.get_attribute("aria-controls") == "main-nav"
        assert toggle.inner_text().strip() == "Danh mục"
        # The bar itself is one line: brand, menu button, language, account.
        assert page.locator(".topbar").bounding_box()["height"] < 70
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
        links = nav.get_by_role("link")
        assert links.count() >= 2
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360
            assert box["height"] >= 40  # a finger-sized target
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false" and not nav.is_visible()
        assert page.evaluate("document.activeElement.dataset.testid") == "nav-toggle"
        # The keyboard opens it too, and a link in it works.
        page.keyboard.press("Enter")
        assert nav.is_visible()
        href = links.first.get_attribute("href")
        links.first.click()
        page.wait_for_url(f"**{href}")
        assert page.get_by_test_id("nav-toggle").get_attribute("aria-expanded") == "false"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_desktop_shows_the_navigation_without_a_menu_button(browser, live_server, student):
    context, page = _signed_in(browser, live_server, student, 1280)
    try:
        assert not page.get_by_test_id("nav-toggle").is_visible()
        assert page.locator("#main-nav").is_visible()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_phone_navigation_stays_visible(browser, live_server, student):
    context, page = _signed_in(browser, live_server, student, 360, java_script_enabled=False)
    try:
        assert page.locator("#main-nav").is_visible()
        assert not page.get_by_test_id("nav-toggle").is_visible()
    finally:
        context.close()
