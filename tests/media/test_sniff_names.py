"""The type sniffer and the name cleaner, on real file headers."""

import io
import unicodedata
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media import names, sniff


def zipped(members: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first), members.pop(first))
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def kind(data: bytes) -> str:
    return sniff.sniff(data[: sniff.HEAD_BYTES], data[-sniff.TAIL_BYTES :])


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PPTX = zipped({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
ODT = zipped(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"},
    first="mimetype",
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.4\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (DOCX, sniff.DOCX),
        (XLSX, sniff.XLSX),
        (PPTX, sniff.PPTX),
        (ODT, sniff.ODT),
        (zipped({"a.txt": b"hi"}), sniff.ZIP),
        ("Bài tập về nhà: ôn tập chương 3.\n".encode(), "text/plain"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        (b"ID3\x04\x00\x00", "audio/mpeg"),
        (b"\xff\xfb\x90\x64", "audio/mpeg"),
        (b"MZ\x90\x00\x03\x00", sniff.EXECUTABLE),
        (b"\x7fELF\x02\x01", sniff.EXECUTABLE),
        (b"#!/bin/sh\nrm -rf /\n", sniff.EXECUTABLE),
        (b"\x00\x01\x02binary", sniff.UNKNOWN),
    ],
)
def test_sniffs_real_headers(data, expected):
    assert kind(data) == expected


def test_text_cut_in_the_middle_of_a_character_is_still_text():
    data = "Nguyễn".encode()
    assert sniff.sniff(data[:-1]) == "text/plain"


@pytest.mark.parametrize(
    ("extension", "data", "ok"),
    [
        ("pdf", b"%PDF-1.7", True),
        ("pdf", b"MZ\x90\x00", False),
        ("docx", DOCX, True),
        ("docx", XLSX, False),
        ("zip", DOCX, True),
        ("txt", b"hello", True),
        ("txt", b"%PDF-1.7", False),
        ("exe", b"MZ", False),
    ],
)
def test_extension_must_match_the_content(extension, data, ok):
    assert sniff.matches(extension, kind(data)) is ok


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Bài tập 1.pdf", "Bài tập 1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Lan\\Báo cáo.docx", "Báo cáo.docx"),
        ("bad\x00name\x07.pdf", "badname.pdf"),
        ("line\nbreak.txt", "linebreak.txt"),
        ('what?"is<this>.pdf', "what__is_this_.pdf"),
        ("  spaced   out .pdf  ", "spaced out .pdf"),
        ("Nguye\u0302\u0303n.pdf", "Nguyễn.pdf"),
        ("..", ""),
        ("/\\", ""),
        ("\u202e\u200b", ""),
    ],
)
def test_names_are_sanitised(raw, clean):
    assert names.sanitise(raw) == clean


def test_long_names_keep_their_extension():
    clean = names.sanitise("ă" * 400 + ".docx")
    assert len(clean) == names.MAX_NAME_LENGTH and clean.endswith(".docx")


@given(st.text(max_size=400))
def test_any_name_comes_out_safe(raw):
    clean = names.sanitise(raw)
    assert len(clean) <= names.MAX_NAME_LENGTH
    assert "/" not in clean and "\\" not in clean
    assert not any(unicodedata.category(ch).startswith("C") for ch in clean)
    assert clean == names.sanitise(clean)  # cleaning twice changes nothing


@given(st.binary(max_size=600))
def test_the_sniffer_answers_for_any_bytes(data):
    assert isinstance(sniff.sniff(data, data), str)
