"""No English left on the Vietnamese pages.

Each main page of each demo role is rendered twice, in Vietnamese and in English. A visible text
(or an aria-label, title, placeholder) that is identical in both renderings and contains a word
of the English interface vocabulary (the words of our msgids) was never translated: it is
hard-coded in a template or Python, or its msgid is missing from the catalogue.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

from lms.models import User
from tests.browser.demo_pages import LOGINS, STANDIN, seed_and_list

ROOT = Path(__file__).resolve().parent.parent
APPS = ["lms", "courses", "media", "cms", "classrooms", "attendance", "grading"]
SKIPPED_TAGS = {"script", "style", "template", "noscript", "svg"}
LABEL_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Names and codes that read the same in both languages.
ALLOWED_WORDS = {"lophoc", "jitsi", "csv", "xlsx", "ics", "api", "ok", "id"}
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")
# A single token with a slash, colon, @ or dot is an address, a time zone or a code, not prose.
CODE = re.compile(r"\S*[/:@.]\S*")


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skip += 1
        for name, value in attrs:
            if name in LABEL_ATTRIBUTES and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def english_vocabulary() -> set[str]:
    """Words of our English msgids that are not also Vietnamese text (names, codes)."""
    english, vietnamese = set(), set()
    for app in APPS:
        path = ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            english.update(w.lower() for w in WORD.findall(entry.msgid + " " + entry.msgid_plural))
            strings = [entry.msgstr, *entry.msgstr_plural.values()]
            vietnamese.update(w.lower() for s in strings for w in WORD.findall(s))
    return english - vietnamese - ALLOWED_WORDS


def untranslated(
    vi_html: str, en_html: str, vocabulary: set[str], names: frozenset[str] = frozenset()
) -> list[str]:
    """Texts left in English. `names` are people's names: "Long" in "Phạm Đức Long" is a name,
    not the English word."""
    english_texts = set(visible_texts(en_html))
    found = []
    for text in visible_texts(vi_html):
        if text not in english_texts or CODE.fullmatch(text):
            continue
        prose = text
        for name in names:
            prose = prose.replace(name, " ")
        words = {w.lower() for w in WORD.findall(prose)}
        if words & vocabulary:
            found.append(text)
    return sorted(set(found))


def test_the_check_finds_hard_coded_english():
    vocabulary = {"email", "min", "address", "opens"}
    vi = (
        '<p>Mở lúc 19:00</p><label>Email</label><p title="Opens at">45 min</p><p>Vật lý 11</p>'
        "<p>Asia/Ho_Chi_Minh</p><p>https://lophoc.example/courses/join/</p>"
    )
    en = (
        '<p>Opens at 19:00</p><label>Email</label><p title="Opens at">45 min</p><p>Vật lý 11</p>'
        "<p>Asia/Ho_Chi_Minh</p><p>https://lophoc.example/courses/join/</p>"
    )
    assert untranslated(vi, en, vocabulary) == ["45 min", "Email", "Opens at"]


def test_a_persons_name_is_not_english():
    vocabulary = {"long", "submitted"}
    vi = "<p>Phạm Đức Long</p><p>Submitted Phạm Đức Long</p>"
    assert untranslated(vi, vi, vocabulary) == ["Phạm Đức Long", "Submitted Phạm Đức Long"]
    assert untranslated(vi, vi, vocabulary, frozenset({"Phạm Đức Long"})) == [
        "Submitted Phạm Đức Long"
    ]


@pytest.mark.django_db
def test_vietnamese_pages_have_no_untranslated_english(settings_for_crawl):
    pages = seed_and_list()
    vocabulary = english_vocabulary()
    names = frozenset(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    problems = []
    pages += [(None, "login", "/accounts/login/"), (None, "reset", "/accounts/password-reset/")]
    for role, name, path in pages:
        user = User.objects.get(email=LOGINS[role][0]) if role else None
        renders = {}
        for language in ("vi", "en"):
            client = Client()
            if user:
                client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(path)
            assert response.status_code == 200, (role, name, path, response.status_code)
            renders[language] = response.content.decode()
        assert renders["vi"] != renders["en"], (role, name)
        for text in untranslated(renders["vi"], renders["en"], vocabulary, names):
            problems.append(f"{role} {name} ({path}): {text!r}")
    assert not problems, "English on Vietnamese pages:\n" + "\n".join(problems)


@pytest.fixture
def settings_for_crawl(settings):
    settings.JITSI_EXTERNAL_API_URL = STANDIN
    return settings
