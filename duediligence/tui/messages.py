"""Typed messages workers post; handlers on the screens update the widgets (never the workers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from duediligence.services.leftovers import Leftover
from duediligence.services.reading import CaseView
from duediligence.services.verify import VerifyReport
from duediligence.tui.summaries import MatterRow

if TYPE_CHECKING:
    # Only for annotations: the screening engine is imported when first used, not at start-up.
    from duediligence.services.screening import ImportResult, RescreenResult


@dataclass
class SummariesReady(Message):
    """A batch of matter rows worked out (the list fills in as they arrive)."""

    rows: list[MatterRow]
    done: bool


@dataclass
class MatterChanged(Message):
    """The open matter was read again after a change (or first opened)."""

    view: CaseView
    focus_key: str | None = None


@dataclass
class Failed(Message):
    """A request was refused or invalid: show why, change nothing."""

    text: str


@dataclass
class Progress(Message):
    """How far a long job has gone (0..1, None while unknown); later ones replace earlier ones."""

    job: str
    fraction: float | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progress) and message.job == self.job


@dataclass
class VerifyDone(Message):
    """The verifier finished."""

    report: VerifyReport
    leftovers: tuple[Leftover, ...] = ()
    """Files left by interrupted writes (not damage; shown with what removes them)."""


@dataclass
class RenderDone(Message):
    """The PDF audit file was written (or failed with `error`)."""

    path: Path | None
    error: str | None = None


@dataclass
class ListImported(Message):
    """A list file was imported (or found already imported)."""

    result: ImportResult


@dataclass
class RescreenProgress(Message):
    """Open matters re-screened so far; later ones replace earlier ones in the queue."""

    done: int
    total: int
    reference: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RescreenProgress)


@dataclass
class RescreenDone(Message):
    """Every open matter was re-screened against the newest lists."""

    result: RescreenResult


@dataclass
class MatterRescreened(Message):
    """One matter's parties were screened on request (`summary` says against what, found what)."""

    reference: str
    summary: str
    open_hits: int


@dataclass
class NoListsToScreen(Message):
    """A re-screen was asked for but no screening list is imported: nothing was screened."""

    reference: str
