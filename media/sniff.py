"""Which kind of file this really is, judged from its bytes, never from its name.

`sniff(head, tail)` looks at the first bytes (HEAD_BYTES) and, for ZIP containers, the end of
the file (TAIL_BYTES, where the ZIP central directory lists the members) to tell Office
documents apart. `EXTENSION_TYPES` says which sniffed types each extension may hold.
"""

import codecs
import re

HEAD_BYTES = 8192
TAIL_BYTES = 65536

EXECUTABLE = "application/x-executable"
ZIP = "application/zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
TEXT = "text/plain"
UNKNOWN = "application/octet-stream"

EXTENSION_TYPES: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "png": frozenset({"image/png"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "gif": frozenset({"image/gif"}),
    "webp": frozenset({"image/webp"}),
    "docx": frozenset({DOCX}),
    "xlsx": frozenset({XLSX}),
    "pptx": frozenset({PPTX}),
    "odt": frozenset({ODT}),
    "ods": frozenset({ODS}),
    "odp": frozenset({ODP}),
    "zip": frozenset({ZIP, DOCX, XLSX, PPTX, ODT, ODS, ODP}),
    "txt": frozenset({TEXT}),
    "md": frozenset({TEXT}),
    "csv": frozenset({TEXT}),
    "mp3": frozenset({"audio/mpeg"}),
    "mp4": frozenset({"video/mp4"}),
    "m4a": frozenset({"video/mp4"}),
}

# The type a storage is told to serve for each extension (downloads are attachments anyway).
CANONICAL_TYPE = {
    ext: (sorted(types)[0] if ext != "zip" else ZIP) for ext, types in EXTENSION_TYPES.items()
}
CANONICAL_TYPE.update({"m4a": "audio/mp4"})

_OPENDOCUMENT = re.compile(
    rb"^PK\x03\x04.{26}mimetype(application/vnd\.oasis\.opendocument\.[a-z-]+)", re.DOTALL
)
_ALLOWED_CONTROL = {9, 10, 12, 13}
_MACH_O = {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"}


def _zip_kind(head: bytes, tail: bytes) -> str:
    found = _OPENDOCUMENT.match(head)
    if found:
        kind = found.group(1).decode("ascii")
        if kind in {ODT, ODS, ODP}:
            return kind
    # Member names appear in the local headers (head) and the central directory (tail).
    names = head + tail
    if b"[Content_Types].xml" in names:
        if b"word/" in names:
            return DOCX
        if b"xl/" in names:
            return XLSX
        if b"ppt/" in names:
            return PPTX
    return ZIP


def _is_text(head: bytes) -> bool:
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:
        # Not final: the sample may end in the middle of a multi-byte character.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(ord(ch) >= 32 or ord(ch) in _ALLOWED_CONTROL for ch in text if ord(ch) < 127)


def sniff(head: bytes, tail: bytes = b"") -> str:
    """The content type of a file from its first bytes (and its last, for ZIP containers)."""
    if not head:
        return UNKNOWN
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF"):
        return EXECUTABLE
    if head[:4] in {
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
    }:
        return EXECUTABLE
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(head, tail)
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"#!"):
        return EXECUTABLE
    if _is_text(head):
        return TEXT
    return UNKNOWN


def matches(extension: str, content_type: str) -> bool:
    return content_type in EXTENSION_TYPES.get(extension.lower(), frozenset())
