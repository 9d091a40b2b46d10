"""Attach evidence: choose a file (browser or typed path) and its metadata.

A `ModalScreen[EvidenceForm]`: it only collects and checks the file exists; the caller stores it.
"""

from __future__ import annotations

from collections.abc import Iterable
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


class AttachEvidence(Dialog[EvidenceForm | None]):
    """The attach-evidence dialog."""

    def __init__(self, question_text: str | None, documents: tuple[str, ...], start: Path) -> None:
        super().__init__()
        self.question_text = question_text
        self.documents = documents or GENERAL_DOCUMENTS
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Attach evidence", classes="title")
            yield Static(
                f"For: {self.question_text}" if self.question_text else "For the matter",
                classes="muted",
                markup=False,
            )
            yield DocumentsTree(self.start, id="files")
            yield Label("File path (type it, or pick it above)")
            yield Input(id="path", placeholder="/path/to/passport.pdf")
            with Horizontal(classes="pair"):
                yield Select(
                    [(d.replace("_", " "), d) for d in self.documents],
                    # Chosen, not assumed: the first in the list made a text file a "passport".
                    value=self.documents[0] if len(self.documents) == 1 else Select.NULL,
                    prompt="Document type…",
                    id="doc-type",
                )
                yield Input(placeholder="Issuer", id="issuer")
            # A row of its own: five fields in one row were unreadable at 80 columns.
            with Horizontal(classes="pair"):
                yield Input(placeholder="Document number (printed masked)", id="doc-number")
                yield Input(placeholder="Document date (YYYY-MM-DD)", id="doc-date")
                yield Input(placeholder="Expiry date (passport, ID card)", id="doc-expiry")
            with Horizontal(classes="pair"):
                yield Checkbox("Verified now", id="verified")
                yield Input(
                    placeholder="How verified (original seen, certified copy…)", id="method"
                )
            yield Static("", id="evidence-error", markup=False, classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Attach", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

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
        )
