"""Vietnamese name order for grading lists, until the shared `lms.collation` is installed.

Given name (last word) first, then the family and middle names; letters in the Vietnamese
alphabet order (ă and â after a, đ after d, ê after e, ô and ơ after o, ư after u), and the tone
only breaks ties between otherwise equal words.
"""

import unicodedata

try:
    from lms.collation import name_sort_key  # noqa: F401
except ImportError:
    ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    ORDER = {letter: n for n, letter in enumerate(ALPHABET)}
    MODIFIERS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
    TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

    def _word_key(word: str) -> tuple:
        letters: list = []
        tones: list = []
        for char in unicodedata.normalize("NFD", word.casefold()):
            if char in TONES:
                tones.append(TONES[char])
            elif char in MODIFIERS and letters:
                base = unicodedata.normalize("NFC", letters[-1][1] + char)
                letters[-1] = (ORDER.get(base, 1000 + ord(base[0])), base)
            else:
                letters.append((ORDER.get(char, 1000 + ord(char)), char))
        return tuple(n for n, _ in letters), tuple(tones)

    def name_sort_key(full_name: str) -> tuple:
        words = (full_name or "").split()
        ordered = words[-1:] + words[:-1]
        keys = [_word_key(w) for w in ordered]
        return tuple(k[0] for k in keys), tuple(k[1] for k in keys)
