"""Reading checklist TOML files into the domain models, with problems located by file and line.

tomllib reads, pydantic validates each file, and the domain's semantic checks run over the whole
set. Nothing raises a traceback for a broken file: every problem becomes a ChecklistProblem with
the file, the line where we can find it, the checklist and question ids and the field.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from duediligence.adapters.locations import bundled_checklists_dir
from duediligence.domain.checklist import Checklist, CountryList
from duediligence.domain.errors import ChecklistProblem, InvalidChecklist
from duediligence.domain.library import ChecklistLibrary, ChecklistSource
from duediligence.domain.validation import Finding, check_checklists, check_country_list
from duediligence.domain.vocabulary import Gate


def load_library(paths: Sequence[Path] | None = None) -> ChecklistLibrary:
    """Load and validate checklists (the bundled ones by default), or raise InvalidChecklist."""
    library, problems = read_library(paths)
    if problems:
        raise InvalidChecklist(problems)
    return library


def lint(paths: Sequence[Path] | None = None) -> list[ChecklistProblem]:
    """Every problem in the given checklist files or folders (the bundled ones by default)."""
    return read_library(paths)[1]


def checklist_files(paths: Sequence[Path] | None = None) -> list[Path]:
    """The TOML files named, with folders expanded recursively, in a stable order."""
    roots = list(paths) if paths else [bundled_checklists_dir()]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(sorted(root.rglob("*.toml")))
        else:
            files.append(root)
    return files


def read_library(
    paths: Sequence[Path] | None = None,
) -> tuple[ChecklistLibrary, list[ChecklistProblem]]:
    """Load what can be loaded and return it with every problem found."""
    problems: list[ChecklistProblem] = []
    checklists: list[tuple[Checklist, _File]] = []
    country_lists: dict[str, CountryList] = {}
    sources: dict[str, ChecklistSource] = {}
    for path in checklist_files(paths):
        source = _read(path, problems)
        if source is None:
            continue
        if "countries" in source.data:
            country_list = _validate(CountryList, source, problems)
            if country_list is None:
                continue
            for finding in check_country_list(country_list):
                problems.append(source.locate(finding))
            if country_list.id in country_lists:
                problems.append(
                    ChecklistProblem(
                        source.name, f"duplicate country list id '{country_list.id}'", 1
                    )
                )
            country_lists[country_list.id] = country_list
            sources[country_list.id] = ChecklistSource(source.name, source.sha256)
        else:
            checklist = _validate(Checklist, source, problems)
            if checklist is not None:
                checklists.append((checklist, source))
                sources.setdefault(checklist.id, ChecklistSource(source.name, source.sha256))
    files_by_id: dict[str, _File] = {}
    for checklist, source in checklists:
        files_by_id.setdefault(checklist.id, source)
    findings = check_checklists((c for c, _ in checklists), country_lists)
    for finding in findings:
        problems.append(files_by_id[finding.checklist_id].locate(finding))
    library = ChecklistLibrary(
        checklists={c.id: c for c, _ in checklists},
        country_lists=country_lists,
        sources=sources,
    )
    return library, problems


class _File:
    """One TOML file's text, parsed data and hash, and a way to find lines in it."""

    def __init__(self, path: Path, text: str, data: dict[str, Any], raw: bytes) -> None:
        self.name = str(path)
        self.lines = text.splitlines()
        self.data = data
        self.sha256 = hashlib.sha256(raw).hexdigest()

    def id_line(self, item_id: str | None) -> int | None:
        """Line of `id = "item_id"`, the place a person looks for a question or section."""
        if item_id is None:
            return None
        pattern = re.compile(rf"""^\s*id\s*=\s*["']{re.escape(item_id)}["']""")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return None

    def field_line(self, start: int | None, field: str | None) -> int | None:
        """First line at or after `start` that sets `field` (before the next item's id)."""
        if field is None:
            return start
        key = re.split(r"[.\[]", field, maxsplit=1)[0]
        pattern = re.compile(rf"^\s*(\[\[?[\w.]*\b{re.escape(key)}\]\]?|{re.escape(key)}\s*=)")
        next_id = re.compile(r"^\s*id\s*=")
        begin = (start or 1) - 1
        for offset, line in enumerate(self.lines[begin:], start=begin + 1):
            if offset > begin + 1 and next_id.match(line) and start is not None:
                break
            if pattern.match(line):
                return offset
        return start

    def locate(self, finding: Finding) -> ChecklistProblem:
        """A semantic finding with this file's name and the best line we can find."""
        start = self.id_line(finding.question_id) or (
            self.id_line(finding.checklist_id) if finding.question_id is None else None
        )
        return ChecklistProblem(
            file=self.name,
            message=finding.message,
            line=self.field_line(start, finding.field),
            checklist_id=finding.checklist_id,
            question_id=finding.question_id,
            field=finding.field,
        )


_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$"
)


def _read(path: Path, problems: list[ChecklistProblem]) -> _File | None:
    name = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.append(ChecklistProblem(name, "file not found"))
        return None
    except IsADirectoryError:
        problems.append(ChecklistProblem(name, "is a directory, not a TOML file"))
        return None
    except OSError as error:
        problems.append(ChecklistProblem(name, f"cannot be read: {error.strerror or error}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(ChecklistProblem(name, "is not valid UTF-8 text", line))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.match(str(error))
        if match:
            problems.append(
                ChecklistProblem(
                    name,
                    f"TOML syntax error: {match.group('message')}",
                    int(match.group("line")),
                    int(match.group("column")),
                )
            )
        else:
            problems.append(ChecklistProblem(name, f"TOML syntax error: {error}"))
        return None
    return _File(path, text, data, raw)


_Model = TypeVar("_Model", Checklist, CountryList)


def _validate(
    model: type[_Model], source: _File, problems: list[ChecklistProblem]
) -> _Model | None:
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        problems.extend(_schema_problems(error, source))
        return None


def _schema_problems(error: ValidationError, source: _File) -> Iterable[ChecklistProblem]:
    checklist_id = source.data.get("id") if isinstance(source.data.get("id"), str) else None
    for detail in error.errors():
        loc = [p for p in detail["loc"] if not _is_tag(p)]
        item_id, rest = _item_and_field(source.data, loc)
        field = _field_path(rest) or None
        message = _friendly(detail, rest)
        start = source.id_line(item_id) if item_id else None
        if start is None and item_id is None:
            start = None
        yield ChecklistProblem(
            file=source.name,
            message=message,
            line=source.field_line(start, field) if (start or field) else None,
            checklist_id=checklist_id,
            question_id=item_id,
            field=field,
        )


_TAGS = {
    "all", "any", "not", "compare", "risk_points", "rating_floor", "force_high", "block_gate",
    "hold_funds", "require_approval", "spawn", "refer_mlro", "cdd_impossible",
}  # fmt: skip


def _is_tag(part: int | str) -> bool:
    # pydantic puts the union member's tag in the error location; people never wrote it.
    return isinstance(part, str) and part in _TAGS


def _item_and_field(data: Any, loc: list[int | str]) -> tuple[str | None, list[int | str]]:
    """The innermost section or question id on the path, and the path below it."""
    item_id: str | None = None
    rest: list[int | str] = list(loc)
    node = data
    for n, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if (
            isinstance(node, dict)
            and isinstance(node.get("id"), str)
            and n > 0
            and loc[n - 1]
            in (
                "section",
                "question",
            )
        ):
            item_id = node["id"]
            rest = list(loc[n + 1 :])
    return item_id, rest


def _field_path(parts: list[int | str]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


def _friendly(detail: Any, rest: list[int | str]) -> str:
    kind = detail["type"]
    value = detail.get("input")
    last = rest[-1] if rest else None
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return f"unknown field '{last}'"
    if kind == "enum" and (last in ("gate", "gates") or (len(rest) > 1 and rest[-2] == "gates")):
        return f"gate '{value}' does not exist (gates are {', '.join(g.value for g in Gate)})"
    if kind == "union_tag_invalid":
        return f"unknown effect kind '{detail['ctx'].get('tag')}' (expected one of {detail['ctx'].get('expected_tags')})"
    if kind == "string_pattern_mismatch" and last == "id":
        return f"'{value}' is not a valid id (lower-case letters, digits, '.', '_' and '-')"
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message
