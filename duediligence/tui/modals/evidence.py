"""Attach evidence: choose a file (browser or typed path) and its metadata.

A `ModalScreen[EvidenceForm]`: it only collects and checks the file exists; the caller stores it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, DirectoryTree, Input, Label, Select, Static

from duediligence.domain.answers import read_date
from duediligence.domain.controls import verification_method
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.paths import path_problem
from duediligence.tui.modals.base import Dialog
from duediligence.tui.widgets.plain import plain

GENERAL_DOCUMENTS = (
    "passport",
    "driving_licence",
    "national_id_card",
    "bank_statement",
    "utility_bill",
    "gift_letter",
    "completion_statement",
    "companies_house_extract",
    "pep_screening_report",
    "sanctions_screening_report",
    "other",
)
"""Document types offered when the question does not name its own."""


class DocumentsTree(DirectoryTree):
    """The file browser without hidden files and folders (dot-files are never evidence)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]


@dataclass(frozen=True)
class EvidenceForm:
    """A file and what it is."""

    path: Path
    document_type: str
    issuer: str | None
    document_date: date | None
    verified: bool
    method: str | None
    document_number: str | None = None
    expiry: date | None = None
    """When an identity document expires (passport, ID card, driving licence)."""
    party: str | None = None
    """The party it is about (p1, p2 ...); None: the party of the question's checklist."""
    reuse_reason: str | None = None
    """Why this file, on the matter already as another kind of document, is also this one."""


class AttachEvidence(Dialog[EvidenceForm | None]):
    """The attach-evidence dialog."""

    def __init__(
        self,
        question_text: str | None,
        documents: tuple[str, ...],
        start: Path,
        parties: Sequence[tuple[str, str]] = (),
        last: EvidenceForm | None = None,
        error: str = "",
    ) -> None:
        super().__init__()
        self.question_text = question_text
        self.documents = documents or GENERAL_DOCUMENTS
        self.start = start
        self.parties = parties
        """The matter's parties as (label, what to show: "p1 Ann Smith, client")."""
        self.last = last
        """The last attempt, when the case file refused it (the dialog comes back with it)."""
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Attach evidence", classes="title")
            yield Static(
                f"For: {self.question_text}" if self.question_text else "For the matter",
                classes="muted",
                markup=False,
            )
            yield DocumentsTree(self.start, id="files")
            last = self.last
            yield Label("File path (type it, or pick it above)")
            yield Input(
                str(last.path) if last else "", id="path", placeholder="/path/to/passport.pdf"
            )
            with Horizontal(classes="pair"):
                yield Select(
                    [(d.replace("_", " "), d) for d in self.documents],
                    # Chosen, not assumed: the first in the list made a text file a "passport".
                    value=self._document_type(),
                    prompt="Document type…",
                    id="doc-type",
                )
                yield Input(_text(last and last.issuer), placeholder="Issuer", id="issuer")
            # A row of its own: five fields in one row were unreadable at 80 columns.
            with Horizontal(classes="pair"):
                yield Input(
                    _text(last and last.document_number),
                    placeholder="Document number (printed masked)",
                    id="doc-number",
                )
                yield Input(
                    _text(last and last.document_date),
                    placeholder="Document date (YYYY-MM-DD)",
                    id="doc-date",
                )
                yield Input(
                    _text(last and last.expiry),
                    placeholder="Expiry date (passport, ID card)",
                    id="doc-expiry",
                )
            with Horizontal(classes="pair"):
                yield Checkbox("Verified now", bool(last and last.verified), id="verified")
                yield Input(
                    _text(last and last.method),
                    placeholder="How verified (original seen, certified copy…)",
                    id="method",
                )
            # Identity evidence is about one party: the CLI's --party. Blank leaves it to the
            # case file (the party of the question's checklist, or the one client).
            with Horizontal(classes="pair"):
                yield Select(
                    [(plain(shown), label) for label, shown in self.parties],
                    value=last.party if last and last.party else Select.NULL,
                    prompt="About: the question's party",
                    id="party",
                )
                yield Input(
                    _text(last and last.reuse_reason),
                    placeholder="File filed already as another kind: why",
                    id="reuse-reason",
                )
            yield Static(self.error, id="evidence-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Attach", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def _document_type(self) -> str | object:
        if self.last is not None and self.last.document_type in self.documents:
            return self.last.document_type
        return self.documents[0] if len(self.documents) == 1 else Select.NULL

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        if self.error:
            self.say("#evidence-error", self.error)

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#path", Input).value = str(event.path)

    def submit_form(self) -> None:
        try:
            self.dismiss(self._form())
        except DueDiligenceError as error:
            self.say("#evidence-error", str(error))

    def _form(self) -> EvidenceForm:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise DueDiligenceError("choose a file or type its path")
        path = Path(text).expanduser()
        problem = path_problem(path)
        if problem is not None:
            raise DueDiligenceError(problem)
        chosen = self.query_one("#doc-type", Select).value
        if chosen is Select.NULL or chosen is Select.BLANK:
            raise DueDiligenceError("choose the document type")
        date_text = self.query_one("#doc-date", Input).value.strip()
        document_date = read_date("document date", date_text) if date_text else None
        expiry_text = self.query_one("#doc-expiry", Input).value.strip()
        expiry = read_date("expiry date", expiry_text) if expiry_text else None

        party = self.query_one("#party", Select).value
        # The service's own rule, asked here so the refusal keeps the form (finding 8).
        verification_method(
            self.query_one("#verified", Checkbox).value,
            self.query_one("#method", Input).value,
        )
        return EvidenceForm(
            path=path,
            document_type=str(self.query_one("#doc-type", Select).value),
            issuer=self.query_one("#issuer", Input).value.strip() or None,
            document_date=document_date,
            verified=self.query_one("#verified", Checkbox).value,
            method=self.query_one("#method", Input).value.strip() or None,
            document_number=self.query_one("#doc-number", Input).value.strip() or None,
            expiry=expiry,
            party=None if party is Select.NULL or party is Select.BLANK else str(party),
            reuse_reason=self.query_one("#reuse-reason", Input).value.strip() or None,
        )


def _text(value: object) -> str:
    """A field's text for a value of the last attempt (nothing for None)."""
    if value is None or value is False:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
