"""Errors a user can cause, each carrying enough to say exactly what is wrong and where.

Everything here derives from DueDiligenceError; the CLI and TUI show its message and never a
traceback. Programming errors stay ordinary exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass


class DueDiligenceError(Exception):
    """Base for every error caused by user input or user data."""


class InvalidAnswer(DueDiligenceError):
    """An answer that does not fit its question; nothing is stored."""

    def __init__(self, question_id: str, message: str) -> None:
        self.question_id = question_id
        self.message = message
        super().__init__(f"{question_id}: {message}")


@dataclass(frozen=True, slots=True)
class ChecklistProblem:
    """One problem found while loading checklists, located as precisely as we can."""

    file: str
    """The file, as given to the loader."""
    message: str
    """What is wrong, in words that say how to fix it."""
    line: int | None = None
    """Line in the file, where known."""
    column: int | None = None
    """Column in the line, where known (TOML syntax errors)."""
    checklist_id: str | None = None
    """The checklist, where known."""
    question_id: str | None = None
    """The question (or section), where known."""
    field: str | None = None
    """The field within it, where known."""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        subject = "/".join(p for p in (self.checklist_id, self.question_id) if p)
        parts = [f"{where}:"]
        if subject:
            parts.append(f"[{subject}]")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(self.message)
        return " ".join(parts)


class InvalidChecklist(DueDiligenceError):
    """One or more checklist files are broken; the problems say where and why."""

    def __init__(self, problems: list[ChecklistProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
