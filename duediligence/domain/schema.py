"""The JSON Schema of the checklist format, generated from the models so it cannot drift.

Shipped as `checklists/checklist.schema.json`; a test regenerates it and compares, and validates
every bundled checklist against it. Editors that understand `#:schema` comments in TOML (Taplo,
Even Better TOML) then check a compliance lead's edits as they type.
"""

from __future__ import annotations

from typing import Any

from duediligence.domain.checklist import Checklist, CountryList

SCHEMA_FILE = "checklist.schema.json"
"""Name of the shipped schema inside the checklists folder."""


def checklist_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a checklist or a country-list TOML file."""
    checklist = Checklist.model_json_schema(by_alias=True, mode="validation")
    country = CountryList.model_json_schema(by_alias=True, mode="validation")
    definitions = dict(checklist.pop("$defs", {}))
    definitions.update(country.pop("$defs", {}))
    definitions["Checklist"] = checklist
    definitions["CountryList"] = country
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://duediligence.invalid/checklist.schema.json",
        "title": "duediligence checklist",
        "description": "A checklist file or a country-list file under checklists/.",
        "oneOf": [{"$ref": "#/$defs/Checklist"}, {"$ref": "#/$defs/CountryList"}],
        "$defs": definitions,
    }
