"""Smoke test of the real entry point: `duediligence --store ...` in tmux, driven by send-keys.

First-run set-up with the example matter, the matters list, the matter with its forced High
rating, the help screen, and quitting; each step is checked on the captured screen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ENTRY = Path(sys.executable).with_name("duediligence")


class Tmux:
    """One tmux server on a private socket, with one session running the program."""

    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{shown}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed for the smoke test (.ci/run installs it)"
    socket = f"dd-smoke-{uuid.uuid4().hex[:8]}"
    store = tmp_path / "casefile.sqlite3"
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "DUEDILIGENCE_CONFIG": str(tmp_path / "no-config.toml"),
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    # COLUMNS and LINES (set under pytest) would pin Textual to their size: drop them.
    command = f"env -u COLUMNS -u LINES {exports} {ENTRY} --store {store}"
    server = Tmux(socket, "smoke")
    server.run("new-session", "-d", "-s", "smoke", "-x", "120", "-y", "40", command)
    # A detached session may start at 80x24 whatever -x/-y say; make it 120x40 explicitly.
    server.run("resize-window", "-t", "smoke", "-x", "120", "-y", "40")
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def test_first_run_example_matter_and_help(tmux: Tmux) -> None:
    tmux.wait_for("register the firm and yourself")
    tmux.keys("Hartley & Shaw LLP", literal=True)
    tmux.keys("Tab", "Tab", "Tab", "Tab")
    tmux.keys("alex", literal=True)
    tmux.keys("Tab")
    tmux.keys("Alex Smith", literal=True)
    # Role, training date, the FWRA approver's id and name (empty: the first user), "Create
    # the case file", then "Create and open the example matter".
    tmux.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Enter")
    listing = tmux.wait_for("EX-0001")
    assert "1 matter" in listing and "1 matters" not in listing
    tmux.wait_for("Marlowe Court Holdings")
    tmux.keys("Enter")
    matter = tmux.wait_for("Forced High")
    assert "Lowest allowed: High" in matter
    assert "G1 Accept instructions: blocked" in tmux.wait_for("Gates")
    tmux.keys("F1")
    assert "Help" in tmux.wait_for("duediligence: keys")
    tmux.keys("Escape")
    tmux.wait_for("Forced High")
    tmux.keys("Escape")
    tmux.wait_for("EX-0001")
    tmux.keys("C-q")
    # Quitting ends the program, so tmux closes its only window and the session is gone.
    deadline = time.monotonic() + 10
    gone = False
    while time.monotonic() < deadline and not gone:
        alive = subprocess.run(
            ["tmux", "-L", tmux.socket, "has-session", "-t", "smoke"], capture_output=True
        )
        gone = alive.returncode != 0
        time.sleep(0.2)
    assert gone, tmux.screen()
