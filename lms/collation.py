"""Vietnamese order for people's names, in pure Python (no ICU on a small school's server).

A Vietnamese class list is read by given name: "Nguyễn Văn An" is filed under "An". So a name
sorts by its last word first, then by the family and middle names in their written order.

Each word compares like a dictionary syllable (Hoàng Phê, *Từ điển tiếng Việt*, Viện Ngôn ngữ
học): first its letters in the Vietnamese alphabet, a ă â b c d đ e ê g h i k l m n o ô ơ p q r
s t u ư v x y, so "Đ" comes after "D" and before "E" and "Â" after "Ă"; only when the letters are
equal, its tone, in the order ngang (none), huyền, hỏi, ngã, sắc, nặng. That is the same order
as the CLDR Vietnamese tailoring (common/collation/vi.xml: "&̀<<̉<<̃<<́<<̣", tones as secondary
differences, letter modifiers ă â đ ê ô ơ ư as primary ones), so "An" < "Án" < "Anh" < "Ân".

Case is ignored and NFC and NFD spellings of the same name sort together; the full
(normalised) spelling breaks the last ties so the order is total and repeatable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

# Latin letters Vietnamese does not use (f, j, w, z: foreign names) sit where the Latin
# alphabet puts them, so "Frank" files between "Ê" and "G" instead of after "Y".
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Digits sort before letters; anything else (other scripts) after them, by code point.
_LETTER_RANK = {letter: 100 + index for index, letter in enumerate(_ALPHABET)}
_DIGIT_BASE = 10
_OTHER_BASE = 1000

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
# Marks that make a different letter (ă â ê ô ơ ư) rather than a tone.
_MODIFIERS = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# ngang (no mark) = 0, then huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_rank(letter: str) -> int:
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    if letter.isdigit():
        return _DIGIT_BASE + unicodedata.digit(letter, 0)
    return _OTHER_BASE + ord(letter)


# Vietnamese names reuse a few hundred words (Nguyễn, Văn, Thị, An, ...): caching each word's
# key makes sorting a school of thousands several times faster.
@lru_cache(maxsize=8192)
def _word_key(word: str) -> tuple[tuple[int, ...], int, tuple[int, ...]]:
    """(letters, tone, other marks) of one word; punctuation inside a word is ignored."""
    letters: list[int] = []
    other_marks: list[int] = []
    tone = 0
    base = ""
    for char in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(char):
            if (base, char) in _MODIFIERS:
                base = _MODIFIERS[(base, char)]
                letters[-1] = _letter_rank(base)
            elif char in _TONES and not tone:
                tone = _TONES[char]
            else:
                # Foreign accents (ü, ç, a second tone) only break ties.
                other_marks.append(ord(char))
            continue
        if not char.isalnum():
            base = ""
            continue
        base = char
        letters.append(_letter_rank(char))
    return tuple(letters), tone, tuple(other_marks)


def name_sort_key(full_name: str) -> tuple:
    """A key that orders full names the Vietnamese way: given name (last word), then the rest.

    Blank names sort after every real name.
    """
    text = unicodedata.normalize("NFC", full_name or "").strip()
    words = [key for key in (_word_key(word) for word in text.split()) if key[0]]
    if not words:
        return (1, (), (), text)
    ordered = [words[-1], *words[:-1]]
    primary = tuple((letters, tone) for letters, tone, _ in ordered)
    marks = tuple(other for _, _, other in ordered)
    # Case and spelling last, so "an" and "An" have a fixed order instead of comparing equal.
    return (0, primary, marks, text.casefold(), text)


def sorted_by_name(items: Iterable[T], key: Callable[[T], str] = lambda x: x.full_name) -> list[T]:
    """The items in Vietnamese name order; items with the same name keep their given order."""
    return sorted(items, key=lambda item: name_sort_key(key(item)))
