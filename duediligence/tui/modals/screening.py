"""Screening dialogs: import a list file, and decide one hit (the callers do the work)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from duediligence.domain.case import Party
from duediligence.domain.paths import path_problem
from duediligence.domain.screening_records import (
    Outcome,
    ReasonCode,
    ScreeningHit,
    reason_contradictions,
)
from duediligence.services.screening import MIN_NOTE, reason_conflicts
from duediligence.tui.modals.base import Dialog
from duediligence.tui.widgets.plain import plain

LIST_FORMATS = (
    ("uksl-csv", "UK sanctions list (OFSI/FCDO CSV)"),
    ("un-xml", "UN Security Council consolidated list (XML)"),
    ("ofac-csv", "OFAC SDN (CSV files)"),
    ("pep-csv", "PEP list (CSV)"),
    ("ftm-json", "FollowTheMoney entities (JSON lines)"),
)
"""The importers' formats, with what each is."""

OUTCOME_LABELS = {
    Outcome.FALSE_POSITIVE: "False positive (not this person)",
    Outcome.TRUE_MATCH: "True match (escalate to the MLRO)",
}

REASON_LABELS = {code: code.label for code in ReasonCode}


@dataclass(frozen=True)
class ImportForm:
    """A list file and its format."""

    path: Path
    list_format: str
    shrink_reason: str | None = None
    """Why a list with no entries, or far fewer than the one in use, is right (the case file
    asks for it then)."""


@dataclass(frozen=True)
class DecideForm:
    """A decision on one hit."""

    outcome: Outcome
    reason: ReasonCode
    note: str


class ImportList(Dialog[ImportForm | None]):
    """Choose a list file and its format (filled again with the last attempt after a
    refusal: a file in the wrong format, a list much shorter than the one in use)."""

    def __init__(self, last: ImportForm | None = None, error: str = "") -> None:
        super().__init__()
        self.last = last
        self.error = error

    def compose(self) -> ComposeResult:
        last = self.last
        with Vertical(classes="dialog"):
            yield Static("Import a screening list", classes="title")
            yield Label("Format")
            yield Select(
                [(plain(f"{label} [{name}]"), name) for name, label in LIST_FORMATS],
                value=last.list_format if last else "uksl-csv",
                allow_blank=False,
                id="list-format",
            )
            yield Label("File (or folder, for OFAC)")
            yield Input(
                str(last.path) if last else "",
                placeholder="/path/to/UK-Sanctions-List.csv",
                id="list-path",
            )
            yield Label("Much shorter than the list in use? Why it is right (only if asked)")
            yield Input((last.shrink_reason or "") if last else "", id="shrink-reason")
            yield Static(self.error, id="import-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Import", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#list-path", Input).focus()

    def submit_form(self) -> None:
        text = self.query_one("#list-path", Input).value.strip()
        list_format = str(self.query_one("#list-format", Select).value)
        if not text:
            self.say("#import-error", "Choose a file: type the list file's path.")
            return
        path = Path(text).expanduser()
        problem = path_problem(path, folder_ok=list_format == "ofac-csv")
        if problem is not None:
            self.say("#import-error", problem[0].upper() + problem[1:] + ".")
            return
        reason = self.query_one("#shrink-reason", Input).value.strip() or None
        self.dismiss(ImportForm(path, list_format, reason))


def reasons_for(outcome: Outcome) -> list[tuple[str, str]]:
    """The reason codes that fit an outcome, as select options."""
    return [(REASON_LABELS[c], c.value) for c in ReasonCode if c.outcome is outcome]


class DecideHit(Dialog[DecideForm | None]):
    """True match or false positive, with a reason code and a note.

    Nothing is preselected: the decider chooses the outcome and the reason. A reason the hit's
    own explanation contradicts (a "different date of birth" where the year matches) is shown
    as a warning and needs a tick to record anyway."""

    def __init__(
        self, summary: str, hit: ScreeningHit | None = None, party: Party | None = None
    ) -> None:
        super().__init__()
        self.summary = summary
        self.hit = hit
        self.party = party

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static("Decide a screening hit", classes="title")
            # The hit's explanation can run to dozens of lines: it scrolls in a box of its own,
            # so the fields, the error row and the buttons stay on screen (at 120x40 a refusal
            # pushed Record off the bottom).
            with VerticalScroll(id="decide-summary"):
                yield Static(self.summary, classes="muted", markup=False)
            yield Label("Outcome")
            yield Select(
                [(label, o.value) for o, label in OUTCOME_LABELS.items()],
                prompt="Choose: not this person, or a true match",
                allow_blank=True,
                id="outcome",
            )
            yield Label("Reason")
            yield Select[str]([], prompt="Choose the outcome first", allow_blank=True, id="reason")
            yield Label(f"Note (why: what you compared and saw; at least {MIN_NOTE} characters)")
            yield Input(id="note")
            yield Static("", id="decide-warning", markup=False, classes="error")
            yield Checkbox("I have checked this: record it anyway", id="confirm-conflict")
            yield Static("", id="decide-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Record", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-conflict", Checkbox).display = False
        self.query_one("#outcome", Select).focus()

    @on(Select.Changed, "#outcome")
    def _outcome_changed(self, event: Select.Changed) -> None:
        select: Select[str] = self.query_one("#reason", Select)
        if event.value is Select.NULL:
            select.set_options([])
            select.prompt = "Choose the outcome first"
        else:
            reasons = reasons_for(Outcome(str(event.value)))
            select.set_options(reasons)
            # The prompt said "Choose the outcome first" after the outcome was chosen.
            select.prompt = "Choose the reason"
            if len(reasons) == 1:
                select.value = reasons[0][1]
        self._unconfirm()

    @on(Select.Changed, "#reason")
    def _reason_changed(self) -> None:
        self._unconfirm()

    def _unconfirm(self) -> None:
        """A changed choice needs its own confirmation."""
        self.query_one("#decide-warning", Static).update("")
        confirm = self.query_one("#confirm-conflict", Checkbox)
        confirm.value = False
        confirm.display = False

    def submit_form(self) -> None:
        outcome_value = self.query_one("#outcome", Select).value
        reason_value = self.query_one("#reason", Select).value
        note = self.query_one("#note", Input).value.strip()
        if outcome_value is Select.NULL:
            self.say("#decide-error", "Choose the outcome: not this person, or a true match.")
            return
        if reason_value is Select.NULL:
            self.say("#decide-error", "Choose the reason.")
            return
        if len(note) < MIN_NOTE:
            self.say(
                "#decide-error",
                f"Write a note of at least {MIN_NOTE} characters saying what you compared and "
                f"saw ({len(note)} so far).",
            )
            return
        outcome = Outcome(str(outcome_value))
        reason = ReasonCode(str(reason_value))
        if outcome is Outcome.FALSE_POSITIVE and self.hit and self.party:
            contradicted = reason_contradictions(self.party, self.hit, reason)
            if contradicted:
                # Refused here, with the form kept, exactly as the service would refuse it.
                self.say(
                    "#decide-error",
                    f"'{reason.label}' is not what the record shows: {'; '.join(contradicted)}.",
                )
                return
        conflicts = reason_conflicts(self.hit, outcome, reason) if self.hit else []
        confirm = self.query_one("#confirm-conflict", Checkbox)
        if conflicts and not confirm.value:
            self.query_one("#decide-warning", Static).update(
                "Warning: " + "; ".join(conflicts) + ". Check again before clearing this hit."
            )
            confirm.display = True
            self.fit()
            self.say("#decide-error", "Tick the box to record it anyway, or change the reason.")
            return
        self.dismiss(DecideForm(outcome, reason, note))
