"""Importer for FollowTheMoney entities, one JSON object per line (e.g. an OpenSanctions export).

Only "thing" schemata become list entries (Person; Organization, Company, LegalEntity, PublicBody,
Vessel, Airplane ...); relationship records (Sanction, Occupancy, Ownership ...) are skipped. Bring
your own data licence: OpenSanctions data is CC BY-NC and is never bundled.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from duediligence.screening.importers.common import (
    DEFAULT_MAX_BYTES,
    ListFormatError,
    build_snapshot,
    decode,
    partial_date,
    read_bytes,
    sha256_of,
)
from duediligence.screening.model import Kind, ListEntry, ListName, Snapshot
from duediligence.screening.normalise import normalise_country, normalise_gender

SOURCE = "ftm-json"
ENTITY_SCHEMATA = frozenset(
    [
        "Organization",
        "Company",
        "LegalEntity",
        "PublicBody",
        "Vessel",
        "Airplane",
        "Asset",
        "Security",
    ]
)
_NAME_PROPERTIES = (
    ("name", "primary"),
    ("alias", "alias"),
    ("previousName", "previous"),
    ("weakAlias", "weak-alias"),
)


def import_ftm_json(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Read FollowTheMoney JSON lines into a snapshot, or raise ListFormatError naming the line."""
    data = read_bytes(path, max_bytes)
    entries: list[ListEntry] = []
    latest: dt.date | None = None
    for number, line in enumerate(decode(path, data).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ListFormatError(path, where, "JSON", error.msg) from None
        except RecursionError:
            raise ListFormatError(path, where, "JSON", "nested too deeply") from None
        except ValueError as error:  # an integer of more digits than Python converts
            raise ListFormatError(path, where, "JSON", str(error).split(";")[0]) from None
        if not isinstance(record, dict):
            raise ListFormatError(path, where, "JSON", "not an object")
        schema = record.get("schema")
        if not isinstance(schema, str):
            raise ListFormatError(path, where, "schema", "missing")
        if schema != "Person" and schema not in ENTITY_SCHEMATA:
            continue
        entry = _entry(path, where, schema, record)
        if entry is not None:
            entries.append(entry)
        for stamp in (record.get("last_change"), record.get("last_seen")):
            if isinstance(stamp, str) and len(stamp) >= 10:
                try:
                    day = dt.date.fromisoformat(stamp[:10])
                except ValueError:
                    continue
                latest = day if latest is None or day > latest else latest
    return build_snapshot(SOURCE, latest, sha256_of(data), [path], entries)


def _strings(path: Path, where: str, properties: dict[str, Any], key: str) -> list[str]:
    values = properties.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ListFormatError(path, where, f"properties.{key}", "must be a list of strings")
    return [v.strip() for v in values if v.strip()]


def _entry(path: Path, where: str, schema: str, record: dict[str, Any]) -> ListEntry | None:
    entry_id = record.get("id")
    if not isinstance(entry_id, str) or not entry_id:
        raise ListFormatError(path, where, "id", "missing")
    properties = record.get("properties", {})
    if not isinstance(properties, dict):
        raise ListFormatError(path, where, "properties", "not an object")
    names: list[ListName] = []
    for key, name_type in _NAME_PROPERTIES:
        names.extend(
            ListName(text=v, name_type=name_type) for v in _strings(path, where, properties, key)
        )
    if not names:
        return None  # an entity without any name cannot be screened against
    dobs = []
    for value in _strings(path, where, properties, "birthDate"):
        try:
            dobs.append(partial_date(value[:10]))
        except ValueError as error:
            raise ListFormatError(path, where, "properties.birthDate", str(error)) from None
    countries = [
        code
        for key in ("nationality", "citizenship", "country")
        for code in (normalise_country(v) for v in _strings(path, where, properties, key))
        if code
    ]
    genders = _strings(path, where, properties, "gender")
    return ListEntry(
        id=entry_id,
        kind=Kind.PERSON if schema == "Person" else Kind.ENTITY,
        names=tuple(names),
        dates_of_birth=tuple(dict.fromkeys(dobs)),
        nationalities=tuple(dict.fromkeys(countries)),
        gender=normalise_gender(genders[0]) if genders else None,
        programmes=tuple(
            _strings(path, where, properties, "position")
            + _strings(path, where, properties, "topics")
        ),
    )
