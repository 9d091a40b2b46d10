"""Importer for the UN Security Council Consolidated List (XML, `dateGenerated` attribute)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from duediligence.screening.importers.common import (
    DEFAULT_MAX_BYTES,
    ListFormatError,
    build_snapshot,
    partial_date,
    read_bytes,
    sha256_of,
)
from duediligence.screening.model import Kind, ListEntry, ListName, Snapshot
from duediligence.screening.normalise import normalise_country, normalise_gender

SOURCE = "un-xml"


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def import_un_xml(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Read one UN consolidated list XML file into a snapshot, or raise ListFormatError."""
    data = read_bytes(path, max_bytes)
    try:
        # expat (Python >= 3.11) refuses entity-expansion bombs; the file is a local copy.
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line, column = error.position
        raise ListFormatError(
            path, f"line {line}, column {column}", "XML", "not well-formed XML"
        ) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(
            path, f"root element <{root.tag}>", "CONSOLIDATED_LIST", "not a UN consolidated list"
        )
    generated = root.get("dateGenerated", "")
    try:
        published = dt.date.fromisoformat(generated[:10]) if generated else None
    except ValueError:
        raise ListFormatError(
            path, "root element", "dateGenerated", f"not a date: {generated!r}"
        ) from None
    entries: list[ListEntry] = []
    for kind, tag, alias_tag in (
        (Kind.PERSON, "INDIVIDUAL", "INDIVIDUAL_ALIAS"),
        (Kind.ENTITY, "ENTITY", "ENTITY_ALIAS"),
    ):
        for number, element in enumerate(root.iter(tag), start=1):
            entries.append(_entry(path, kind, f"<{tag}> #{number}", element, alias_tag))
    return build_snapshot(SOURCE, published, sha256_of(data), [path], entries)


def _entry(path: Path, kind: Kind, where: str, element: ET.Element, alias_tag: str) -> ListEntry:
    entry_id = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    if not entry_id:
        raise ListFormatError(path, where, "REFERENCE_NUMBER", "missing")
    where = f"{where} ({entry_id})"
    parts = [_text(element, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    primary = " ".join(part for part in parts if part)
    if not primary:
        raise ListFormatError(path, where, "FIRST_NAME", "no name")
    names = [ListName(text=primary, name_type="primary")]
    original = _text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(ListName(text=original, name_type="original-script"))
    for alias in element.iter(alias_tag):
        alias_name = _text(alias, "ALIAS_NAME")
        if alias_name:
            quality = _text(alias, "QUALITY").casefold()
            names.append(
                ListName(text=alias_name, name_type="weak-alias" if quality == "low" else "alias")
            )
    dobs: list[str] = []
    for dob in element.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        try:
            dobs.extend(_dob(dob))
        except ValueError as error:
            raise ListFormatError(path, where, "INDIVIDUAL_DATE_OF_BIRTH", str(error)) from None
    nationalities: list[str] = []
    for nationality in element.iter("NATIONALITY"):
        for value in nationality.iter("VALUE"):
            code = normalise_country(value.text or "")
            if code and code not in nationalities:
                nationalities.append(code)
    programmes = tuple(p for p in (_text(element, "UN_LIST_TYPE"),) if p)
    details = tuple(
        (label, value)
        for label, value in (
            ("listed on", _text(element, "LISTED_ON")),
            ("comments", _text(element, "COMMENTS1")[:500]),
        )
        if value
    )
    return ListEntry(
        id=entry_id,
        kind=kind,
        names=tuple(names),
        dates_of_birth=tuple(dict.fromkeys(dobs)),
        nationalities=tuple(nationalities),
        gender=normalise_gender(_text(element, "GENDER")),
        programmes=programmes,
        details=details,
    )


def _dob(element: ET.Element) -> list[str]:
    kind = _text(element, "TYPE_OF_DATE").upper()
    date = _text(element, "DATE")
    year = _text(element, "YEAR")
    if date:
        value = partial_date(date[:10])
    elif year:
        value = partial_date(year)
    elif _text(element, "FROM_YEAR") or _text(element, "TO_YEAR"):
        start = partial_date(_text(element, "FROM_YEAR") or _text(element, "TO_YEAR"))
        end = partial_date(_text(element, "TO_YEAR") or _text(element, "FROM_YEAR"))
        return [f"{start}/{end}"]
    else:
        return []
    if kind == "APPROXIMATELY":
        # "About 1960": a year either side, so a client born in 1961 is not counted as disjoint.
        return [f"{int(value[:4]) - 1}/{int(value[:4]) + 1}"]
    return [value]
