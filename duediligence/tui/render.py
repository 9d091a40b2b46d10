"""Render the PDF audit file in a child process with a progress bar (never in the UI's process:
WeasyPrint holds the GIL for hundreds of milliseconds; see architecture.md).

The child is `python -m duediligence.report CASE -o FILE --store PATH --as USER`; it writes one
JSON object per stderr line: {"progress": f, "message": m} while working, {"done": true, "path":
...} at the end, {"error": ...} on failure. When the report package has no entry point the
command says the PDF audit file is not available in this build.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ProgressBar, Static

from duediligence.adapters.locations import DatabaseUrl, StoreLocation, local_path

if TYPE_CHECKING:
    from duediligence.config import Settings
    from duediligence.tui.screens.base import BaseScreen


def available() -> bool:
    """Whether the report package can be run as a module."""
    try:
        return importlib.util.find_spec("duediligence.report.__main__") is not None
    except (ImportError, ValueError):
        return False


def command(
    reference: str,
    store: StoreLocation,
    output: Path,
    user: str,
    settings: Settings | None = None,
    *,
    passphrase_stdin: bool = False,
) -> list[str]:
    """The child-process command line. The firm's templates, logo and checklists of the running
    TUI are passed on, so the audit file is the one `duediligence render` would write (the
    child also reads the same settings for the firm's policy), and it is signed with the firm's
    key when the settings name the key's passphrase file, or with the passphrase typed in the
    TUI, which the child reads from its standard input (`passphrase_stdin`)."""
    line = [
        sys.executable,
        "-m",
        "duediligence.report",
        reference,
        "-o",
        str(output),
        "--store",
        # A database's address whole: the child connects as the same role.
        store.url if isinstance(store, DatabaseUrl) else str(store),
        "--as",
        user,
    ]
    if passphrase_stdin:
        line.append("--passphrase-stdin")
    if settings is not None:
        if settings.key_passphrase_file is not None and not passphrase_stdin:
            line += ["--passphrase-file", str(settings.key_passphrase_file)]
        if settings.templates is not None:
            line += ["--templates", str(settings.templates)]
        if settings.logo is not None:
            line += ["--logo", str(settings.logo)]
        for path in settings.checklists:
            line += ["--checklists", str(path)]
    return line


def parse_line(line: str) -> dict[str, object]:
    """One stderr line as the child wrote it (plain text becomes an error message)."""
    try:
        data = json.loads(line)
    except ValueError:
        return {"error": line.strip()} if line.strip() else {}
    return data if isinstance(data, dict) else {}


def renders_dir(store: Path) -> Path:
    """The folder of rendered audit files, beside the case file (`casefile.sqlite3.renders`)."""
    return store.with_name(store.name + ".renders")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_path(store: Path, reference: str, at: datetime) -> Path:
    """A new file for the matter's audit file rendered at `at`: never an earlier render's.

    The name keeps the reference readable, adds a short hash of it exactly as written (so
    `A/B` and `A-B` never share a file) and the time of the render; should that name exist
    (two renders in one second), a counter is added.
    """
    readable = _UNSAFE.sub("-", reference).strip("-.")[:60] or "matter"
    digest = hashlib.sha256(reference.encode("utf-8")).hexdigest()[:8]
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = renders_dir(store)
    candidate = folder / f"{readable}-{digest}-audit-file-{stamp}.pdf"
    number = 2
    while candidate.exists() or candidate.with_name(f".{candidate.name}.partial").exists():
        candidate = folder / f"{readable}-{digest}-audit-file-{stamp}-{number}.pdf"
        number += 1
    return candidate


PARTIAL_PREFIX = "."
"""The child writes `.NAME.partial` beside the output and renames it when complete
(`report/pdf.py`); a cancelled render leaves no file behind."""


@dataclass
class RenderJob:
    """One audit file being rendered: the child process and what the user sees of it."""

    reference: str
    output: Path
    holder: Vertical
    process: asyncio.subprocess.Process | None = None
    cancelled: bool = False
    passphrase: str | None = None
    """The firm key's passphrase typed for this render (given to the child on its stdin)."""

    @property
    def partial(self) -> Path:
        return self.output.with_name(f"{PARTIAL_PREFIX}{self.output.name}.partial")


def render_pdf(screen: BaseScreen, reference: str, passphrase: str | None = None) -> None:
    """Start rendering the matter's audit file; a bar shows progress, a notification the path.

    The work belongs to the app, not the screen, so leaving the matter does not stop it; the
    cancel command (or the box's button) does, and then nothing is written. When the firm has
    a signing key and the settings name no passphrase file, its passphrase is asked first and
    checked, so the file is signed as `duediligence render` signs it.
    """
    if not available():
        screen.dd.notify(
            "The PDF audit file is not available in this build yet (duediligence.report has no "
            "entry point).",
            title="PDF",
            severity="warning",
            timeout=6,
        )
        return
    if reference in screen.dd.renders:
        screen.dd.notify(
            f"The audit file of {reference} is already being rendered (Shift+F12 stops it).",
            title="PDF",
            timeout=5,
        )
        return
    settings = screen.dd.settings
    from_file = settings is not None and settings.key_passphrase_file is not None
    if passphrase is None and not from_file and screen.dd.casefile.proof.key_exists():
        _ask_passphrase(screen, reference)
        return
    output = output_path(
        local_path(screen.dd.store_path), reference, screen.dd.casefile.clock.now()
    )
    try:
        output.parent.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        screen.dd.show_error(
            f"The audit file cannot be written in {output.parent}: {error.strerror}"
        )
        return
    holder = Vertical(
        Horizontal(
            Static(f"Rendering the audit file of {reference}…", id="render-label", markup=False),
            Button("Stop", id="render-cancel", variant="warning", compact=True),
        ),
        ProgressBar(total=1.0, id="render-progress"),
        id="render-box",
    )
    job = RenderJob(reference, output, holder, passphrase=passphrase)
    screen.dd.renders[reference] = job
    screen.mount(holder)
    screen.dd.run_worker(
        _render(screen, job),
        group=f"render-{reference}",
        exclusive=True,
        exit_on_error=False,
    )


def _ask_passphrase(screen: BaseScreen, reference: str) -> None:
    from duediligence.domain.errors import DueDiligenceError
    from duediligence.tui.modals.restricted import FirmKeyPassphrase

    def done(typed: str | None) -> None:
        if typed is None:
            screen.dd.notify("No audit file was rendered.", title="PDF", timeout=4)
            return
        try:
            # Checked here, before a child starts: a wrong passphrase is said at once.
            screen.dd.casefile.proof.key_for(typed, "audit file")
        except DueDiligenceError as error:
            screen.dd.show_error(str(error))
            return
        render_pdf(screen, reference, typed)

    screen.app.push_screen(FirmKeyPassphrase(), done)


async def cancel_render(screen: BaseScreen, reference: str) -> None:
    """Stop the matter's render: the child is asked to stop, then killed if it does not."""
    job = screen.dd.renders.get(reference)
    if job is None:
        screen.dd.notify("No audit file is being rendered for this matter.", timeout=4)
        return
    job.cancelled = True
    process = job.process
    if process is None or process.returncode is not None:
        return
    process.terminate()  # the child removes its partial file on SIGTERM
    try:
        await asyncio.wait_for(process.wait(), timeout=5)
    except TimeoutError:
        process.kill()


async def _render(screen: BaseScreen, job: RenderJob) -> None:
    app = screen.dd
    try:
        await _run_child(screen, job)
    finally:
        app.renders.pop(job.reference, None)
        if job.holder.is_attached:
            await job.holder.remove()


async def _run_child(screen: BaseScreen, job: RenderJob) -> None:
    app = screen.dd
    typed = job.passphrase is not None
    job.process = process = await asyncio.create_subprocess_exec(
        *command(
            job.reference,
            app.store_path,
            job.output,
            app.actor.user,
            app.settings,
            passphrase_stdin=typed,
        ),
        stdin=asyncio.subprocess.PIPE if typed else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    if job.passphrase is not None and process.stdin is not None:
        process.stdin.write(job.passphrase.encode("utf-8") + b"\n")
        await process.stdin.drain()
        process.stdin.close()
        job.passphrase = None  # not kept past its use
    assert process.stderr is not None
    errors: list[str] = []
    written: object = None
    bar = job.holder.query_one(ProgressBar)
    label = job.holder.query_one("#render-label", Static)
    try:
        while True:
            raw = await process.stderr.readline()
            if not raw:
                break
            data = parse_line(raw.decode("utf-8", "replace"))
            fraction = data.get("progress")
            if isinstance(fraction, int | float) and job.holder.is_attached:
                bar.update(progress=float(fraction))
                label.update(
                    f"Rendering the audit file of {job.reference}: {data.get('message', '')}"
                )
            if "error" in data:
                errors.append(str(data["error"]))
            if data.get("done"):
                written = data.get("path")
        await process.wait()
    except asyncio.CancelledError:
        # The app is closing: do not leave a child writing behind it.
        if process.returncode is None:
            process.kill()
        job.partial.unlink(missing_ok=True)
        raise
    if job.cancelled:
        # A child killed before it could clean up leaves its partial file; never a PDF.
        job.partial.unlink(missing_ok=True)
        if process.returncode == 0:
            app.notify(
                f"The audit file was already complete when stopped: {written or job.output}",
                title="PDF",
                timeout=10,
            )
        else:
            app.notify(
                f"Rendering of {job.reference} stopped; no file was written.",
                title="PDF",
                timeout=6,
            )
    elif process.returncode == 0:
        app.notify(f"Audit file written: {written or job.output}", title="PDF", timeout=10)
    else:
        detail = errors[-1] if errors else f"exit status {process.returncode}"
        app.show_error(f"The audit file could not be rendered: {detail}")
