"""What kind of file an evidence file is, told from its first bytes rather than its name.

A scan saved as `passport.pdf` that is really a JPEG must be declared image/jpeg in the audit file:
an archive reader opens an attachment by its declared type, and PDF/A-3 requires the declared type
to be the true one. Pure functions over bytes; the callers read the bytes.
"""

from __future__ import annotations

import mimetypes
from typing import Final

HEAD_SIZE: Final = 65536
"""How many leading bytes callers pass: enough for every signature and an OOXML part name."""

_SIGNATURES: Final = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)

# An Office Open XML file is a ZIP whose parts live under one of these folders.
_OOXML: Final = (
    (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)

# Text formats whose name is the only way to tell them apart from plain text.
_TEXT_BY_NAME: Final = frozenset(
    {"text/csv", "application/json", "text/xml", "application/xml", "text/html", "text/markdown"}
)


def media_type(head: bytes, name: str = "") -> str:
    """The media type of a file from its first bytes (`HEAD_SIZE` of them, or all if shorter).

    Binary formats are recognised by their signature whatever the name says; text is text/plain
    unless the name gives a more precise text format (CSV, JSON, XML ...); anything else is
    application/octet-stream.
    """
    # The PDF header may follow a little junk (ISO 32000: within the first 1024 bytes).
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            return found
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"[Content_Types].xml" in head:
            for folder, found in _OOXML:
                if folder in head:
                    return found
        return "application/zip"
    if _is_text(head):
        by_name = mimetypes.guess_type(name)[0] if name else None
        return by_name if by_name in _TEXT_BY_NAME else "text/plain"
    return "application/octet-stream"


def _is_text(head: bytes) -> bool:
    """UTF-8 with no control characters other than whitespace (a cut multi-byte character at
    the end of the head does not count against it)."""
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\t\n\r\f" for ch in text)
