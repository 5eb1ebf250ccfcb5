"""File names as people give them, made safe to store and to send back in a header."""

import re
import unicodedata

MAX_NAME_LENGTH = 150
_SEPARATORS = re.compile(r"[\\/]+")
_SPACES = re.compile(r"\s+")
# Characters Windows refuses in names; a download saved there must keep its name.
_RESERVED = re.compile(r'[<>:"|?*]')


def sanitise(raw: str) -> str:
    """A name without folders, control characters or reserved characters, at most 150 long.

    Letters of every script stay (Vietnamese names keep their tones, composed to NFC). An empty
    result means nothing usable was left; the caller refuses it.
    """
    name = unicodedata.normalize("NFC", str(raw or ""))
    # Only the last path segment counts: "C:\\Users\\an\\bai.pdf" and "../../x.pdf" both lose
    # their folders.
    name = _SEPARATORS.split(name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _RESERVED.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH].rstrip(" .")
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""
