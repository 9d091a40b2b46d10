"""Media types told from content (issue 15 item 7): the name never overrides the bytes."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from duediligence.domain.media import media_type


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format=kind)
    return out.getvalue()


def _zip(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            # A fixed time: the bytes are test ids, and pytest-xdist workers that collect a
            # second apart would otherwise see different tests.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (_image("JPEG"), "passport.pdf", "image/jpeg"),
        (_image("PNG"), "scan.pdf", "image/png"),
        (_image("GIF"), "scan.jpg", "image/gif"),
        (_image("TIFF"), "scan.png", "image/tiff"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "statement.jpg", "application/pdf"),
        (b"\r\n%PDF-1.4 after junk", "x.bin", "application/pdf"),
        (
            _zip("[Content_Types].xml", "word/document.xml"),
            "letter.pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip("[Content_Types].xml", "xl/workbook.xml"),
            "book.zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (_zip("notes.txt"), "bundle.docx", "application/zip"),
        ("Plain words, Nurlan Әбенов.\n".encode(), "note.pdf", "text/plain"),
        (b'{"hits": 0}', "report.json", "application/json"),
        (b"a,b\n1,2\n", "list.csv", "text/csv"),
        (b"\x00\x01\x02binary", "thing.pdf", "application/octet-stream"),
    ],
)
def test_the_type_comes_from_the_bytes(data: bytes, name: str, expected: str) -> None:
    assert media_type(data, name) == expected


def test_a_multibyte_character_cut_at_the_end_is_still_text() -> None:
    data = ("é" * 10).encode()
    assert media_type(data[:-1], "a.txt") == "text/plain"
