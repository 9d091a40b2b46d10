"""Integrity: run the verifier (whole store, or one matter) in a worker with a progress bar."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Footer, Header, ProgressBar, Static

from duediligence.tui.commands import bindings_for
from duediligence.tui.messages import Progress, VerifyDone
from duediligence.tui.screens.base import BaseScreen

JOB = "verify"


class IntegrityScreen(BaseScreen):
    """Verify the audit chain, the records, the evidence files and the approvals."""

    COMMAND_SCOPES = ("integrity",)
    BINDINGS: ClassVar[list[BindingType]] = [*bindings_for("integrity"), *bindings_for("back")]

    def __init__(self, reference: str | None = None) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        what = f"matter {self.reference}" if self.reference else "the whole case file"
        yield Header()
        yield Static(f"Integrity check of {what}", classes="title", markup=False)
        yield ProgressBar(total=None, show_eta=False, id="verify-progress")
        yield Static("", id="verify-result")
        yield Footer()

    def on_mount(self) -> None:
        self.action_run_verify()

    def action_run_verify(self) -> None:
        self.query_one("#verify-result", Static).update("Checking…")
        self.query_one("#verify-progress", ProgressBar).update(total=None, progress=0)
        self.run_check()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_check(self) -> None:
        casefile = self.dd.casefile

        def progress(fraction: float, _stage: str) -> None:
            self.post_message(Progress(JOB, fraction))

        progress(0.0, "starting")
        report = casefile.verify(self.reference, progress=progress)
        self.post_message(VerifyDone(report, tuple(casefile.leftovers())))

    def on_progress(self, message: Progress) -> None:
        if message.job == JOB:
            bar = self.query_one("#verify-progress", ProgressBar)
            if message.fraction is None:
                bar.update(total=None)
            else:
                bar.update(total=1.0, progress=message.fraction)

    def on_verify_done(self, message: VerifyDone) -> None:
        report = message.report
        head = (
            f"Checked {report.events} audit events, {report.records} records, {report.files} "
            f"files, {report.approvals} approvals.\nChain head: {report.head_sha256}\n"
        )
        if report.ok:
            text = head + "[green]Everything verifies: nothing was altered.[/green]"
        else:
            problems = "\n".join(f"• {escape(str(p))}" for p in report.problems[:200])
            text = head + f"[red]{len(report.problems)} problem(s):[/red]\n{problems}"
        if message.leftovers:
            files = "\n".join(f"• {escape(str(f))}" for f in message.leftovers[:50])
            text += (
                f"\n[b]{len(message.leftovers)} file(s) left by interrupted writes[/b] (personal "
                "data outside the record; an MLRO or senior manager removes them with "
                f"`duediligence maintenance clean`, the retention purge does too):\n{files}"
            )
        self.query_one("#verify-result", Static).update(text)
