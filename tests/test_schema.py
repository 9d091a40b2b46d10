"""The shipped JSON Schema matches the models and accepts every bundled checklist."""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema

from duediligence.adapters.checklists_toml import checklist_files
from duediligence.domain.schema import SCHEMA_FILE, checklist_json_schema
from tests.conftest import PROJECT

SHIPPED = PROJECT / "checklists" / SCHEMA_FILE


def _as_json(value: Any) -> Any:
    """TOML data as a JSON document would carry it (dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def test_shipped_schema_is_generated_from_the_models() -> None:
    shipped = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert shipped == checklist_json_schema(), (
        "checklists/checklist.schema.json is stale: regenerate it with "
        "`duediligence checklists schema > checklists/checklist.schema.json`"
    )


def test_every_bundled_file_validates_against_the_schema() -> None:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = checklist_files()
    assert len(files) >= 7
    for path in files:
        data = _as_json(tomllib.loads(path.read_text(encoding="utf-8")))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{path.name}: {errors[:3]}"


def test_schema_rejects_what_the_loader_rejects(tmp_path: Path) -> None:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    broken = {
        "id": "x",
        "title": "X",
        "version": "1.0",
        "policy_ref": "P",
        "applies_to": {"firm_roles": ["solicitor"]},
        "section": [{"id": "s", "title": "S", "question": [{"id": "q", "text": "Q?"}]}],
        "colour": "blue",
    }
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
    assert errors, "an unknown key and a question without guidance must be refused"
