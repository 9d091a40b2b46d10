"""Help: every key and command (as remapped by the user's keymap), by where it applies."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from duediligence.tui.commands import COMMANDS, allowed, bindings_for, keys_text
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
                keys = keys_text(command, keymap)
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
