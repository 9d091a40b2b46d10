"""Reading checklist TOML files into the domain models, with problems located by file and line.

tomllib reads, pydantic validates each file, and the domain's semantic checks run over the whole
set. Nothing raises a traceback for a broken file: every problem becomes a ChecklistProblem with
the file, the line where we can find it, the checklist and question ids and the field.
"""

from __future__ import annotations

import bisect
import functools
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
from duediligence.domain.paths import NotARegularFile, read_regular_file
from duediligence.domain.validation import Finding, check_checklists, check_country_list
from duediligence.domain.vocabulary import Gate


def load_library(paths: Sequence[Path] | None = None) -> ChecklistLibrary:
    """Load and validate checklists (the bundled ones by default), or raise InvalidChecklist."""
    library, problems = read_library(paths)
    if problems:
        raise InvalidChecklist(problems)
    return library


def lint(
    paths: Sequence[Path] | None = None, context: Sequence[Path] | None = None
) -> list[ChecklistProblem]:
    """Every problem in the given checklist files or folders (the bundled ones by default).

    Files named one by one are checked as they would be used: inside a library, the `context`
    folders (the bundled checklists by default), each named file taking the place of the context's
    checklist or country list with the same id, so the references a file makes to the others
    (spawned checklists, country lists) resolve. Only problems in the named files are reported.
    Folders are checked as a whole library, as `--checklists` reads them, unless a context is given.
    """
    if not paths or (context is None and any(p.is_dir() for p in paths)):
        return read_library(paths)[1]
    problems: list[ChecklistProblem] = []
    named = [source for path in checklist_files(paths) if (source := _read(path, problems))]
    ids = {source.item_id for source in named}
    ignored: list[ChecklistProblem] = []  # the context's own problems are not the file's
    context_sources = [
        source
        for path in checklist_files(context)
        if (source := _read(path, ignored)) is not None and source.item_id not in ids
    ]
    _, found = _assemble(named + context_sources)
    names = {source.name for source in named}
    return problems + [problem for problem in found if problem.file in names]


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
    sources = [source for path in checklist_files(paths) if (source := _read(path, problems))]
    library, found = _assemble(sources)
    return library, problems + found


def _assemble(files: Sequence[_File]) -> tuple[ChecklistLibrary, list[ChecklistProblem]]:
    """Validate read files into one library, with every problem found in them."""
    problems: list[ChecklistProblem] = []
    checklists: list[tuple[Checklist, _File]] = []
    country_lists: dict[str, CountryList] = {}
    sources: dict[str, ChecklistSource] = {}
    for source in files:
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
            sources[country_list.id] = ChecklistSource(source.name, source.sha256, source.raw_text)
        else:
            checklist = _validate(Checklist, source, problems)
            if checklist is not None:
                checklists.append((checklist, source))
                sources.setdefault(
                    checklist.id, ChecklistSource(source.name, source.sha256, source.raw_text)
                )
    files_by_id: dict[str, _File] = {}
    first: dict[str, Checklist] = {}
    for checklist, source in checklists:
        if checklist.id in files_by_id:
            # Reported here rather than by check_checklists so the line is in the second file.
            problems.append(
                ChecklistProblem(
                    source.name,
                    f"duplicate checklist id '{checklist.id}': "
                    f"{files_by_id[checklist.id].name} already defines it; "
                    "give each checklist its own id",
                    source.id_line(checklist.id, kind="checklist"),
                    checklist_id=checklist.id,
                    field="id",
                )
            )
            continue
        files_by_id[checklist.id] = source
        first[checklist.id] = checklist
    findings = check_checklists(first.values(), country_lists)
    for finding in findings:
        problems.append(
            files_by_id[finding.checklist_id].locate(finding, first[finding.checklist_id])
        )
    library = ChecklistLibrary(
        checklists=first,
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
        # Kept whole (not re-read later): a case keeps the text its answers were given against.
        self.raw_text = raw.decode("utf-8", errors="replace")

    @property
    def item_id(self) -> tuple[str, object]:
        """What the file defines, as a key: a checklist or a country list, and its id."""
        return ("countries" if "countries" in self.data else "checklist", self.data.get("id"))

    def id_line(
        self, item_id: str | None, occurrence: int = 1, kind: str | None = None
    ) -> int | None:
        """Line of the `occurrence`-th `id = "item_id"` of a checklist, section or question.

        `kind` ("checklist", "section" or "question") skips ids under other tables, so a
        question and a section that share an id are told apart.
        """
        if item_id is None:
            return None
        seen = 0
        for number, header_kind in self._index.ids.get(item_id, ()):
            if kind is None or header_kind == kind:
                seen += 1
                if seen == occurrence:
                    return number
        return None

    def field_line(self, start: int | None, field: str | None) -> int | None:
        """Line of `field` (e.g. "rule[2].effects[1]") inside the item whose id is on `start`.

        With `start` None the field is a top-level one of the file. Each part of the path is
        looked for below the previous one, before the next item's id; where a part cannot be
        found the line of the part above it is the best we know.
        """
        if field is None:
            return start
        index = self._index
        end = len(self.lines)
        if start is not None:
            following = bisect.bisect_right(index.id_lines, start)
            if following < len(index.id_lines):
                end = index.id_lines[following] - 1
        found = start
        cursor = start or 1
        for n, (key, nth) in enumerate(_FIELD_PART.findall(field)):
            top = start is None and n == 0
            line = self._find(key, int(nth) if nth else 1, cursor, end, top)
            if line is None:
                break
            found = cursor = line
            text = self.lines[line - 1]
            if nth and not _HEADER.match(text) and text.split("#", 1)[0].rstrip().endswith("["):
                # An element of an inline array written one element per line.
                found = cursor = min(line + int(nth), end)
        return found

    def _find(self, key: str, nth: int, begin: int, end: int, top: bool) -> int | None:
        """The nth table header or the first `key =` for `key` between lines begin and end.

        An assignment counts only before the first header for the key in the range, and at the
        top level only before the file's first table (below it, it belongs to that table).
        """
        index = self._index
        headers = _between((index.top_headers if top else index.headers).get(key, []), begin, end)
        assigns = _between(index.assigns.get(key, []), begin, end)
        if assigns:
            line = assigns[0]
            allowed = not top or line == 1 or index.first_header is None
            allowed = allowed or (index.first_header is not None and index.first_header >= line)
            if allowed and (not headers or line < headers[0]):
                return line
        return headers[nth - 1] if len(headers) >= nth else None

    @functools.cached_property
    def _index(self) -> _LineIndex:
        """Where ids, headers and assignments are, built once: a file with thousands of
        problems is located in one pass, not one pass per problem (that was quadratic)."""
        return _LineIndex(self.lines)

    def locate(self, finding: Finding, checklist: Checklist | None = None) -> ChecklistProblem:
        """A semantic finding with this file's name and the best line we can find."""
        kind: str | None = None
        if checklist is not None and finding.question_id is not None:
            is_question = checklist.question(finding.question_id) is not None
            is_section = any(s.id == finding.question_id for s in checklist.sections)
            if is_question != is_section:
                kind = "question" if is_question else "section"
        start = (
            self.id_line(finding.question_id, finding.occurrence, kind)
            if finding.question_id is not None
            else None
        )
        line = self.field_line(start, finding.field)
        if line is None and finding.question_id is None:
            line = self.id_line(finding.checklist_id, kind="checklist")
        return ChecklistProblem(
            file=self.name,
            message=finding.message,
            line=line,
            checklist_id=finding.checklist_id,
            question_id=finding.question_id,
            field=finding.field,
        )


_HEADER = re.compile(r"^\s*\[")
_FIELD_PART = re.compile(r"(\w+)(?:\[(\d+)\])?")
_ID = re.compile(r"""^\s*id\s*=\s*["']([^"'\n]*)["']""")
_ANY_ID = re.compile(r"^\s*id\s*=")
_HEADER_PATH = re.compile(r"^\s*\[\[?([\w.]*)\s*\]\]?")
_HEADER_TOP = re.compile(r"^\s*\[\[?\s*(\w+)\s*\]\]?")
_LAST_PART = re.compile(r"(?:^|\.)(\w+)$")
_ASSIGN = re.compile(r"(?:^|[{,])\s*(\w+)\s*=")


class _LineIndex:
    """The lines of a TOML file by what is on them, for locating problems."""

    def __init__(self, lines: list[str]) -> None:
        self.ids: dict[str, list[tuple[int, str]]] = {}
        """id value to the lines it is on, each with the kind of table it is under."""
        self.id_lines: list[int] = []
        """Every line that sets an id, in order (where an item ends)."""
        self.headers: dict[str, list[int]] = {}
        """Last part of a table header (`question` of `[[section.question]]`) to its lines."""
        self.top_headers: dict[str, list[int]] = {}
        """A one-part table header (`[[section]]`) to its lines."""
        self.assigns: dict[str, list[int]] = {}
        """A key to the lines that assign it (`key =`, also inside inline tables)."""
        self.first_header: int | None = None
        header = ""
        for number, line in enumerate(lines, start=1):
            if _HEADER.match(line):
                header = line.strip()
                if self.first_header is None:
                    self.first_header = number
                path = _HEADER_PATH.match(line)
                last = _LAST_PART.search(path.group(1)) if path else None
                if last:
                    self.headers.setdefault(last.group(1), []).append(number)
                top = _HEADER_TOP.match(line)
                if top:
                    self.top_headers.setdefault(top.group(1), []).append(number)
                continue
            if _ANY_ID.match(line):
                self.id_lines.append(number)
                found = _ID.match(line)
                if found:
                    self.ids.setdefault(found.group(1), []).append((number, _header_kind(header)))
            for assign in _ASSIGN.finditer(line.split("#", 1)[0]):
                self.assigns.setdefault(assign.group(1), []).append(number)


def _between(lines: list[int], begin: int, end: int) -> list[int]:
    """The sorted `lines` from begin to end inclusive."""
    return lines[bisect.bisect_left(lines, begin) : bisect.bisect_right(lines, end)]


def _header_kind(header: str) -> str:
    """What an `id` under this table header identifies."""
    if not header:
        return "checklist"
    if re.fullmatch(r"\[\[\s*section\s*\]\]", header):
        return "section"
    if re.fullmatch(r"\[\[\s*section\.question\s*\]\]", header):
        return "question"
    return "other"


_TOML_HINTS = {
    "Illegal character '\\n'": " (the line ends inside a string: add the closing quote)",
    "Invalid value": (
        " (text needs double quotes, e.g. type = \"yesno\"; or is a value missing after '='?)"
    ),
    "Cannot overwrite a value": " (a key is set twice in the same table)",
    "Unclosed array": " (a ']' is missing)",
    "Unclosed inline table": " (a '}' is missing, or the table spans several lines)",
}
"""Plain words beside tomllib's messages for the mistakes people make most."""

_TOML_POSITION = re.compile(
    r"^(?P<message>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$"
)


MAX_CHECKLIST_BYTES = 8 * 1024 * 1024
"""A checklist file larger than this is refused unread: the bundled ones are under 100 KB."""


def _read(path: Path, problems: list[ChecklistProblem]) -> _File | None:
    name = str(path)
    try:
        raw = read_regular_file(path, MAX_CHECKLIST_BYTES)
    except NotARegularFile as error:
        problems.append(ChecklistProblem(name, str(error)))
        return None
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
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            ChecklistProblem(
                name,
                f"is not valid UTF-8 text (byte 0x{raw[error.start]:02x}); "
                "save the file with UTF-8 encoding",
                line,
                column,
            )
        )
        return None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib recurses once per level of nested arrays and tables.
        problems.append(
            ChecklistProblem(
                name,
                "TOML nested too deeply (arrays or tables inside each other hundreds of levels "
                "deep); a checklist needs a few levels",
                _deepest_line(text),
            )
        )
        return None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.match(str(error))
        if match:
            message = match.group("message")
            problems.append(
                ChecklistProblem(
                    name,
                    f"TOML syntax error: {message}{_TOML_HINTS.get(message, '')}",
                    int(match.group("line")),
                    int(match.group("column")),
                )
            )
        else:
            message = re.sub(r"\s*\(at end of document\)$", "", str(error))
            problems.append(
                ChecklistProblem(
                    name,
                    f"TOML syntax error at the end of the file: {message} "
                    "(the file ends too early: is a closing ']', '}' or quote missing?)",
                    len(text.splitlines()) or 1,
                )
            )
        return None
    return _File(path, text, data, raw)


def _deepest_line(text: str, limit: int = 64) -> int:
    """The line where brackets first nest more than `limit` deep (strings not counted)."""
    depth = 0
    line = 1
    quote: str | None = None
    for char in text:
        if char == "\n":
            line += 1
        elif quote is not None:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > limit:
                return line
        elif char in "]}":
            depth -= 1
    return 1


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
    details = error.errors()
    # Every location that has a problem below it, computed once (asking each problem about all
    # the others was quadratic).
    above = {tuple(d["loc"][:n]) for d in details for n in range(len(d["loc"]))}
    for detail in details:
        if detail["type"] == "too_short" and tuple(detail["loc"]) in above:
            # pydantic also says a list is too short when an item inside it failed: the item's
            # own problem is the one to fix.
            continue
        loc = [p for p in detail["loc"] if not _is_tag(p)]
        item_id, item_kind, rest = _item_and_field(source.data, loc)
        field = _field_path(rest) or None
        message = _friendly(detail, rest)
        start = source.id_line(item_id, kind=item_kind) if item_id else None
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
    "hold_funds", "require_approval", "spawn", "refer_mlro", "refuse", "cdd_impossible",
}  # fmt: skip


def _is_tag(part: int | str) -> bool:
    # pydantic puts the union member's tag in the error location; people never wrote it.
    return isinstance(part, str) and part in _TAGS


def _item_and_field(
    data: Any, loc: list[int | str]
) -> tuple[str | None, str | None, list[int | str]]:
    """The innermost section or question id on the path, its kind, and the path below it."""
    item_id: str | None = None
    item_kind: str | None = None
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
            item_kind = str(loc[n - 1])
            rest = list(loc[n + 1 :])
    return item_id, item_kind, rest


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
    if kind == "enum":
        expected = str(detail.get("ctx", {}).get("expected", ""))
        noun = {"fact": "fact", "type": "question type", "role": "role"}.get(str(last), "value")
        return f"unknown {noun} '{value}' (expected {expected})"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list in square brackets, e.g. {last} = [...]; got {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false (without quotes); got {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number (without quotes); got {value!r}"
    if kind == "string_type":
        return f"must be text in double quotes; got {value!r}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {detail.get('ctx', {}).get('min_length', 1)} entry; it is empty"
    message = str(detail["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message
