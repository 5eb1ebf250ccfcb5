"""Vietnamese ships complete: every catalogue translated, nothing fuzzy, compiled files current."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po"))


def test_every_app_with_strings_has_a_catalogue():
    assert {path.parts[-5] for path in CATALOGUES} >= {"lms"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(path):
    po = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:5]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:5]}"
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural) for e in polib.mofile(str(mo_path))
    }
    for entry in po.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{mo_path} is stale: {entry.msgid!r} missing; compilemessages"
        wanted = entry.msgstr or entry.msgstr_plural
        assert compiled[key] == wanted, f"{mo_path} is stale for {entry.msgid!r}"
