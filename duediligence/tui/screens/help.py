"""Help: every key and command (as remapped by the user's keymap), by where it applies."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from duediligence.tui.commands import COMMANDS, allowed, bindings_for
from duediligence.tui.screens.base import BaseScreen

SCOPES = {
    "app": "Everywhere",
    "matters": "Matters list",
    "matter": "A matter",
    "evidence": "Evidence list",
    "timeline": "Events and timeline",
    "parties": "Parties",
    "funds": "Money trail (receipts)",
    "lists": "Screening lists",
    "hits": "Screening hits",
    "desk": "Approvals queue, portfolio, MLRO area",
    "approvals": "Approvals queue",
    "portfolio": "Portfolio",
    "integrity": "Integrity",
    "restricted": "MLRO restricted records",
    "modal": "Dialogs",
    "back": "Going back",
}


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "enter": "Enter",
    "escape": "Esc",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_text(key: str) -> str:
    """A key as a solicitor reads it: "ctrl+down" is "Ctrl+↓", "question_mark" is "?"."""
    *modifiers, name = key.strip().split("+")
    function_key = len(name) > 1 and name[0] == "f" and name[1:].isdigit()
    # A letter alone is typed as shown; with Ctrl it is written the usual way, Ctrl+Q.
    shown = _KEY_NAMES.get(name, name.upper() if function_key or modifiers else name)
    return "".join(f"{m.capitalize()}+" for m in modifiers) + shown


class HelpScreen(BaseScreen):
    """The keys."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("back")

    def compose(self) -> ComposeResult:
        keymap = self.dd.settings.keymap
        lines = [
            "[b]duediligence: keys[/b]  (Ctrl+P opens the command palette with every command; "
            'remap keys with keymap = {id = "key"} in the settings file)\n'
        ]
        for scope, title in SCOPES.items():
            lines.append(f"\n[b]{title}[/b]")
            for command in COMMANDS:
                if command.scope != scope or not allowed(command, self.dd.roles):
                    continue
                keys = " or ".join(
                    key_text(key) for key in keymap.get(command.id, command.key).split(",")
                )
                lines.append(
                    f"  {escape(keys):<18} {command.title:<10} {command.help}  "
                    f"[dim]({command.id})[/dim]"
                )
        lines.append(
            "\nAnswers are saved as you give them: choose with Enter, text saves when you pause, "
            "dates and amounts when you press Enter or leave the field."
        )
        yield Header()
        with VerticalScroll(id="help"):
            yield Static("\n".join(lines))
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()
