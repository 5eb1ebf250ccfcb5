"""The project's Vietnamese catalogue for Wagtail's admin ships complete, compiled, in the house
spelling, and where Django looks first."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "locale" / "vi" / "LC_MESSAGES"
# The smallest catalogue that still covers the explorer, the editor, publishing, scheduling,
# revisions, images and documents (Wagtail's own has 135 admin messages).
AT_LEAST = {"django.po": 800, "djangojs.po": 80}
OLD_SPELLING = re.compile(r"kh[óọ]a|h[ủụ]y", re.IGNORECASE)


def test_the_project_folder_is_searched_before_the_apps():
    assert ROOT / "locale" in [Path(path) for path in settings.LOCALE_PATHS]


@pytest.mark.parametrize("name", sorted(AT_LEAST))
def test_catalogue_is_complete_compiled_and_in_house_spelling(name):
    po = polib.pofile(str(FOLDER / name))
    assert len(po) >= AT_LEAST[name]
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:5]
    for entry in po:
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        for text in translations:
            assert not OLD_SPELLING.search(text), f"{entry.msgid!r}: use khoá / huỷ: {text!r}"
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural)
        for e in polib.mofile(str((FOLDER / name).with_suffix(".mo")))
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert compiled.get(key) == (entry.msgstr or entry.msgstr_plural), (
            f"{name[:-3]}.mo is stale for {entry.msgid!r}: run compilemessages"
        )
