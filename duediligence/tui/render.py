"""Render the PDF audit file in a child process with a progress bar (never in the UI's process:
WeasyPrint holds the GIL for hundreds of milliseconds; see architecture.md).

The child is `python -m duediligence.report CASE -o FILE --store PATH --as USER`; it writes one
JSON object per stderr line: {"progress": f, "message": m} while working, {"done": true, "path":
...} at the end, {"error": ...} on failure. When the report package has no entry point the
command says the PDF audit file is not available in this build.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

if TYPE_CHECKING:
    from duediligence.tui.screens.base import BaseScreen


def available() -> bool:
    """Whether the report package can be run as a module."""
    try:
        return importlib.util.find_spec("duediligence.report.__main__") is not None
    except (ImportError, ValueError):
        return False


def command(reference: str, store: Path, output: Path, user: str) -> list[str]:
    """The child-process command line."""
    return [
        sys.executable,
        "-m",
        "duediligence.report",
        reference,
        "-o",
        str(output),
        "--store",
        str(store),
        "--as",
        user,
    ]


def parse_line(line: str) -> dict[str, object]:
    """One stderr line as the child wrote it (plain text becomes an error message)."""
    try:
        data = json.loads(line)
    except ValueError:
        return {"error": line.strip()} if line.strip() else {}
    return data if isinstance(data, dict) else {}


def render_pdf(screen: BaseScreen, reference: str) -> None:
    """Start rendering the matter's audit file; a bar shows progress, a notification the path."""
    if not available():
        screen.dd.notify(
            "The PDF audit file is not available in this build yet (duediligence.report has no "
            "entry point).",
            title="PDF",
            severity="warning",
            timeout=6,
        )
        return
    output = screen.dd.store_path.parent / f"{reference.replace('/', '-')}-audit-file.pdf"
    holder = Vertical(
        Static(f"Rendering the audit file of {reference}…"),
        ProgressBar(total=1.0, id="render-progress"),
        id="render-box",
    )
    screen.mount(holder)
    screen.run_worker(
        _render(screen, reference, output, holder),
        group="render",
        exclusive=True,
        exit_on_error=False,
    )


async def _render(screen: BaseScreen, reference: str, output: Path, holder: Vertical) -> None:
    process = await asyncio.create_subprocess_exec(
        *command(reference, screen.dd.store_path, output, screen.dd.actor.user),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    errors: list[str] = []
    written: object = None
    bar = holder.query_one(ProgressBar)
    label = holder.query_one(Static)
    while True:
        raw = await process.stderr.readline()
        if not raw:
            break
        data = parse_line(raw.decode("utf-8", "replace"))
        fraction = data.get("progress")
        if isinstance(fraction, int | float):
            bar.update(progress=float(fraction))
            label.update(f"Rendering the audit file of {reference}: {data.get('message', '')}")
        if "error" in data:
            errors.append(str(data["error"]))
        if data.get("done"):
            written = data.get("path")
    await process.wait()
    await holder.remove()
    if process.returncode == 0:
        screen.dd.notify(f"Audit file written: {written or output}", title="PDF", timeout=10)
    else:
        detail = errors[-1] if errors else f"exit status {process.returncode}"
        screen.dd.show_error(f"The audit file could not be rendered: {detail}")
