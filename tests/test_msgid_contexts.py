"""One app's translation must never leak into another's, or into Wagtail's admin.

Django merges every app's catalogue into one, and the first installed app wins, so a short
msgid such as "Title" or "live" translated for one meaning shows up wherever the word is used.
A msgid used by two catalogues must either be translated the same way, or carry a context
(`pgettext`, `{% translate "..." context "..." %}`).
"""

import collections
from pathlib import Path

import polib
import wagtail

ROOT = Path(__file__).resolve().parent.parent
APPS = ["lms", "courses", "media", "cms", "classrooms", "attendance", "grading"]

# Wagtail's wording differs from ours here, with the same meaning in both places.
SYNONYMS_WITH_WAGTAIL = {
    "Cancel",  # "Huỷ" / "Hủy bỏ"
    "Edit",  # "Sửa" / "Biên tập"
    "Name",  # "Họ tên" / "Tên" (both the name of a person or thing)
    "Dashboard",  # "Bảng điều khiển" / "Trang tổng quan"
    "Reset your password",
    "document",  # "tài liệu" / "văn bản"
    "created at",  # "tạo lúc" / "Được tạo lúc"
}


def _catalogues() -> dict[str, polib.POFile]:
    found = {}
    for app in APPS:
        path = ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        if path.exists():
            found[app] = polib.pofile(str(path))
    return found


def _wagtail_catalogues() -> dict[str, polib.POFile]:
    root = Path(wagtail.__file__).parent
    return {
        "wagtail:" + str(path.relative_to(root)).split("/locale/")[0]: polib.pofile(str(path))
        for path in root.glob("**/locale/vi/LC_MESSAGES/django.po")
    }


def _translations(catalogues) -> dict[str, dict[str, str]]:
    """msgid (without context) -> {catalogue: msgstr}."""
    table = collections.defaultdict(dict)
    for name, po in catalogues.items():
        for entry in po:
            if entry.obsolete or entry.msgctxt is not None or not entry.msgstr:
                continue
            table[entry.msgid][name] = entry.msgstr
    return table


def collisions(ours, theirs=None, allowed=frozenset()) -> list[str]:
    found = []
    mine = _translations(ours)
    for msgid, by_app in sorted(mine.items()):
        if len(set(by_app.values())) > 1:
            found.append(f"{msgid!r} differs between our apps: {by_app}")
    for msgid, by_app in sorted(_translations(theirs or {}).items()):
        if msgid in mine and msgid not in allowed:
            ours_now = set(mine[msgid].values())
            if not ours_now <= set(by_app.values()):
                found.append(f"{msgid!r} leaks into Wagtail: ours {mine[msgid]}, Wagtail {by_app}")
    return found


def test_a_msgid_shared_by_two_apps_means_the_same_or_has_a_context():
    problems = collisions(_catalogues(), _wagtail_catalogues(), SYNONYMS_WITH_WAGTAIL)
    assert not problems, "Give these msgids a context (pgettext):\n" + "\n".join(problems)


def test_the_check_catches_a_collision():
    def catalogue(*entries):
        po = polib.POFile()
        for msgctxt, msgid, msgstr in entries:
            po.append(polib.POEntry(msgctxt=msgctxt, msgid=msgid, msgstr=msgstr))
        return po

    courses = catalogue((None, "Title", "Tên khoá học"))
    classrooms = catalogue((None, "Title", "Tiêu đề"), ("lesson status", "live", "đang học"))
    wagtail_admin = catalogue((None, "live", "đang hiển thị"), (None, "Title", "Tiêu đề"))
    assert collisions({"courses": courses, "classrooms": classrooms}, {"w": wagtail_admin}) == [
        "'Title' differs between our apps: {'courses': 'Tên khoá học', 'classrooms': 'Tiêu đề'}",
        "'Title' leaks into Wagtail: ours {'courses': 'Tên khoá học', 'classrooms': 'Tiêu đề'}, "
        "Wagtail {'w': 'Tiêu đề'}",
    ]
    # With contexts, nothing collides.
    courses = catalogue(("course", "Title", "Tên khoá học"))
    assert collisions({"courses": courses, "classrooms": catalogue()}, {"w": wagtail_admin}) == []
