"""Which language a signed-in person sees: the switcher, then a saved choice, then the browser."""

import pytest
from django.test import Client

from tests.factories.lms import PASSWORD


def _sign_in(user, accept_language: str) -> Client:
    browser = Client(headers={"accept-language": accept_language})
    response = browser.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def _page_language(browser: Client) -> str:
    body = browser.get("/dashboard/").content.decode()
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_new_account_that_never_chose_keeps_the_browsers_language(student):
    student.preferred_language = "vi"  # the school's default, not the student's choice
    student.language_chosen = False
    student.save()
    browser = _sign_in(student, "en-US,en;q=0.9")
    assert _page_language(browser) == "en"
    student.refresh_from_db()
    # E-mails follow the language the person reads, still not marked as chosen.
    assert (student.preferred_language, student.language_chosen) == ("en", False)


@pytest.mark.django_db
def test_an_explicit_saved_choice_beats_the_browser(student):
    student.preferred_language = "vi"
    student.language_chosen = True
    student.save()
    browser = _sign_in(student, "en-US,en;q=0.9")
    assert _page_language(browser) == "vi"
    student.refresh_from_db()
    assert student.preferred_language == "vi"


@pytest.mark.django_db
def test_the_switcher_saves_an_explicit_choice(student):
    student.preferred_language = "en"
    student.language_chosen = False
    student.save()
    browser = _sign_in(student, "en")
    browser.post("/language/", {"language": "vi", "next": "/dashboard/"})
    student.refresh_from_db()
    assert (student.preferred_language, student.language_chosen) == ("vi", True)
    # Another browser, in English, without the cookie: the saved choice wins.
    assert _page_language(_sign_in(student, "en")) == "vi"
