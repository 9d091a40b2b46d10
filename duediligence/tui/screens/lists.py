"""Screening lists: every imported snapshot with its age; import a new one and re-screen.

The import and the re-screen of the open matters run in thread workers (one transaction per
matter); a progress bar follows the re-screen through coalescing progress messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from duediligence.domain.errors import DueDiligenceError
from duediligence.tui.commands import bindings_for
from duediligence.tui.messages import Failed, ListImported, RescreenDone, RescreenProgress
from duediligence.tui.modals.screening import ImportForm, ImportList
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.widgets.plain import Table

if TYPE_CHECKING:
    from duediligence.services.screening import SnapshotStatus

COLUMNS = ("Source", "Kind", "Published", "Age", "Persons", "Entities", "Names", "In use", "By")


def counts_of(status: SnapshotStatus) -> tuple[str, str, str]:
    """Persons, entities and names in a snapshot."""
    counts = status.record.counts
    return str(counts.get("person", 0)), str(counts.get("entity", 0)), str(counts.get("names", 0))


class ListsScreen(BaseScreen):
    """The screening lists in store, how old they are, and importing a new one."""

    COMMAND_SCOPES = ("lists",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("lists"), *bindings_for("back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Screening lists", classes="title")
        yield Static("", id="lists-warning")
        table = Table(id="lists", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="lists-error", markup=False, classes="error")
        yield ProgressBar(total=None, show_eta=False, id="rescreen-progress")
        yield Static("", id="rescreen-status", markup=False, classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#lists", DataTable)
        for title in COLUMNS:
            table.add_column(title, key=title)
        self.query_one("#rescreen-progress", ProgressBar).display = False
        self.show_lists()
        table.focus()

    def show_lists(self) -> None:
        """Read the snapshots again."""
        service = self.dd.screening
        statuses = service.snapshots()
        table = self.query_one("#lists", DataTable)
        table.clear()
        for status in statuses:
            record = status.record
            age = f"{status.age_days} d" + (" (stale)" if status.stale else "")
            table.add_row(
                record.source,
                record.list_kind.value,
                record.published.isoformat() if record.published else "not stated",
                age,
                *counts_of(status),
                "✓ in use" if status.current else "superseded",
                record.imported_by,
                key=record.id,
            )
        warnings = service.list_warnings()
        pending = service.rescreen_pending()
        if pending:
            warnings.append(
                f"the re-screen of {len(pending)} open matter(s) against the current lists did "
                "not finish (an import was interrupted); import the list again (i) to finish it"
            )
        warning = self.query_one("#lists-warning", Static)
        if not statuses:
            warning.update("[b]No list imported yet:[/b] parties are not screened. Import one (i).")
        elif warnings:
            warning.update("\n".join(f"[b]⚠ Warning:[/b] {w}" for w in warnings))
        else:
            limit = service.max_age_days
            warning.update(f"Every list in use is at most {limit} days old.")
        warning.set_class(bool(warnings) or not statuses, "error")

    # ------------------------------------------------------------------------------------------

    def action_import_list(self, last: ImportForm | None = None, error: str = "") -> None:
        def chosen(form: ImportForm | None) -> None:
            if form is not None:
                self.query_one("#lists-error", Static).update("")
                self.query_one("#rescreen-status", Static).update(
                    f"Importing {form.path.name} ({form.list_format})…"
                )
                self.import_file(form)

        self.app.push_screen(ImportList(last, error), chosen)

    @work(thread=True, exclusive=True, group="import-list", exit_on_error=False)
    def import_file(self, form: ImportForm) -> None:
        try:
            result = self.dd.screening.import_list(
                self.dd.actor, form.path, form.list_format, confirm_shrink=form.shrink_reason
            )
        except DueDiligenceError as error:
            self.post_message(Failed(str(error)))
            # Nothing typed is lost (a file in another format, a much shorter list without a
            # reason): the dialog comes back with the file, the format and why.
            self.app.call_from_thread(self.action_import_list, form, str(error))
            return
        self.post_message(ListImported(result))

    def on_failed(self, message: Failed) -> None:
        self.query_one("#lists-error", Static).update(message.text)
        self.query_one("#rescreen-status", Static).update("")
        self.dd.show_error(message.text)

    def on_list_imported(self, message: ListImported) -> None:
        record = message.result.snapshot
        self.show_lists()
        resume = not message.result.new and bool(self.dd.screening.rescreen_pending())
        if not message.result.new and not resume:
            self.query_one("#rescreen-status", Static).update(
                f"{record.label} was imported already; nothing changed."
            )
            self.notify(f"{record.source}: this file was imported already", timeout=4)
            return
        self.notify(
            f"{record.label} was imported already; finishing the re-screen left pending…"
            if resume
            else f"Imported {record.label}; re-screening the open matters…",
            timeout=4,
        )
        self.query_one("#rescreen-status", Static).update("Re-screening the open matters…")
        bar = self.query_one("#rescreen-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.rescreen(pending_only=resume)

    @work(thread=True, exclusive=True, group="rescreen", exit_on_error=False)
    def rescreen(self, pending_only: bool = False) -> None:
        def progress(done: int, total: int, reference: str) -> None:
            self.post_message(RescreenProgress(done, total, reference))

        try:
            result = self.dd.screening.rescreen_open_cases(
                self.dd.actor, progress, pending_only=pending_only
            )
        except DueDiligenceError as error:
            self.post_message(Failed(str(error)))
            return
        self.post_message(RescreenDone(result))

    def on_rescreen_progress(self, message: RescreenProgress) -> None:
        bar = self.query_one("#rescreen-progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=message.done)
        self.query_one("#rescreen-status", Static).update(
            f"Re-screened {message.done} of {message.total} open matters ({message.reference})"
        )

    def on_rescreen_done(self, message: RescreenDone) -> None:
        result = message.result
        bar = self.query_one("#rescreen-progress", ProgressBar)
        bar.update(total=max(result.cases, 1), progress=max(result.cases, 1))
        text = (
            f"Re-screened {result.cases} open matter(s), {result.parties} part(ies): "
            f"{result.open_hits} hit(s) to review."
        )
        self.query_one("#rescreen-status", Static).update(text)
        self.notify(text, title="Re-screen done", timeout=6)
        self.show_lists()  # a warning that the re-screen was pending is gone now
