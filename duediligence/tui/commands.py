"""Every user command, declared once: key, title, help, where it applies and who may use it.

Screens take their `BINDINGS` from `bindings_for()` and the command palette lists the same table
(`CommandsProvider`), so a key and its palette entry can never drift apart. Each binding's `id`
is the command id, which users remap in settings (`keymap = {new_matter = "ctrl+n"}`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider

from duediligence.domain.vocabulary import Role

if TYPE_CHECKING:
    from textual.screen import Screen

APPROVERS = frozenset({Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO})
"""Roles that give approvals (a fee earner never sees approve actions)."""


@dataclass(frozen=True)
class UserCommand:
    """One thing a user can do: its binding and its palette entry."""

    id: str
    """Binding id and action name (remappable in settings)."""
    key: str
    """Default key(s), comma separated."""
    title: str
    """Short title (footer and palette)."""
    help: str
    """One sentence for the palette and the help screen."""
    scope: str
    """Screen scope where it applies ("app" everywhere)."""
    roles: frozenset[Role] = field(default_factory=frozenset)
    """Roles that may use it (empty: everyone)."""
    show: bool = True
    """Shown in the footer."""
    priority: bool = False
    """Checked before the focused widget's own keys."""
    action_text: str | None = None
    """The action to run when it is not the id (e.g. "dismiss(None)")."""

    @property
    def action(self) -> str:
        return self.action_text or self.id


COMMANDS: tuple[UserCommand, ...] = (
    # Everywhere
    UserCommand("help", "f1,question_mark", "Help", "List every key and command", "app"),
    UserCommand("switch_user", "f10", "User", "Act as another registered person", "app"),
    UserCommand(
        "toggle_dark", "f9", "Theme", "Switch between the dark and light themes", "app", show=False
    ),
    UserCommand(
        "quit",
        "ctrl+q",
        "Quit",
        "Leave the program (every answer is already saved)",
        "app",
        priority=True,
    ),
    # Matters list
    UserCommand("new_matter", "n", "New", "Open a new matter or sale", "matters"),
    UserCommand(
        "open_matter", "enter", "Open", "Open the highlighted matter", "matters", show=False
    ),
    UserCommand("filter", "slash", "Filter", "Filter the matters as you type", "matters"),
    UserCommand("sort", "s", "Sort", "Sort by the next column", "matters"),
    UserCommand(
        "approvals_queue",
        "a",
        "Approvals",
        "Matters waiting for your approval",
        "matters",
        roles=APPROVERS,
    ),
    UserCommand(
        "portfolio",
        "p",
        "Portfolio",
        "The firm's files at a glance, with filters and counts",
        "matters",
        roles=APPROVERS,
    ),
    UserCommand(
        "mlro_area",
        "m",
        "MLRO",
        "Restricted MLRO records and referrals",
        "matters",
        roles=frozenset({Role.MLRO}),
    ),
    UserCommand(
        "integrity",
        "i",
        "Integrity",
        "Verify the audit chain, records, files and approvals",
        "matters",
    ),
    UserCommand(
        "screening_lists",
        "l",
        "Lists",
        "Screening lists: their age, import a new one, re-screen open matters",
        "matters",
    ),
    UserCommand("refresh", "f5", "Refresh", "Read the matters again", "matters", show=False),
    # The matter
    UserCommand("next_question", "ctrl+down", "Next", "Go to the next question", "matter"),
    UserCommand(
        "previous_question",
        "ctrl+up",
        "Previous",
        "Go to the previous question",
        "matter",
        show=False,
    ),
    UserCommand("next_missing", "f2", "Missing", "Go to the next missing answer", "matter"),
    UserCommand(
        "find_question",
        "ctrl+f",
        "Find",
        "Find a question by its words, its id or its checklist, and go to it",
        "matter",
        show=False,  # the matter's footer is full; the palette and help list it
        priority=True,  # a text field takes Ctrl+F (delete the next word) for itself
    ),
    UserCommand(
        "attach_evidence", "f3", "Attach", "Attach a file as evidence for this question", "matter"
    ),
    UserCommand(
        "evidence_list",
        "f4",
        "Evidence",
        "Evidence on this matter with hashes; mark verified",
        "matter",
    ),
    UserCommand(
        "parties",
        "f5",
        "Parties",
        "The matter's parties and their screening; add a party",
        "matter",
        show=False,  # the matter's footer is full; the palette and help list it
    ),
    UserCommand(
        "funds",
        "ctrl+g",
        "Funds",
        "Receipts into client account, reconciled with the funds declared",
        "matter",
        show=False,  # the matter's footer is full; the palette and help list it
    ),
    UserCommand(
        "timeline",
        "f6",
        "Events",
        "Matter events and the timing of verification (reg 30)",
        "matter",
        priority=True,  # a text box has its own F6 (select line); ours must win there
    ),
    UserCommand(
        "sign_off",
        "f7",
        "Sign off",
        "Choose the rating, write the rationale and sign off",
        "matter",
        priority=True,  # a text box has its own F7 (select all)
    ),
    UserCommand(
        "approve",
        "f8",
        "Approve",
        "Approve or refuse this matter in one of your roles",
        "matter",
        roles=APPROVERS,
    ),
    UserCommand(
        "request_approvals",
        "ctrl+r",
        "Request",
        "Ask for the approvals this matter needs",
        "matter",
        show=False,
    ),
    UserCommand(
        "screening_hits",
        "ctrl+s",
        "Hits",
        "Sanctions and PEP screening hits on this matter's parties; decide them",
        "matter",
        show=False,  # the matter's footer is full; the palette and help list it
    ),
    UserCommand("audit_trail", "f11", "Audit", "Who did what, when, on this matter", "matter"),
    UserCommand(
        "verify_matter",
        "ctrl+v",
        "Verify",
        "Verify this matter's records, files and approvals",
        "matter",
        show=False,
    ),
    UserCommand(
        "render_pdf", "f12", "PDF", "Render the PDF audit file in the background", "matter"
    ),
    UserCommand(
        "cancel_render",
        "shift+f12",
        "Stop PDF",
        "Stop rendering this matter's audit file (nothing is written)",
        "matter",
        show=False,
    ),
    UserCommand(
        "toggle_tree", "ctrl+b", "Tree", "Show or hide the checklist tree", "matter", show=False
    ),
    UserCommand(
        "add_entry",
        "ctrl+e",
        "Add entry",
        "Add another entry (tranche, contributor, owner, country ...) to the repeating group of "
        "the question shown",
        "matter",
        show=False,
        priority=True,  # a text box would take Ctrl+E (end of line) for itself
    ),
    # Lists under the matter
    UserCommand("record_event", "r", "Record", "Record a matter event", "timeline"),
    UserCommand(
        "mark_verified", "v", "Verified", "Mark the highlighted evidence verified", "evidence"
    ),
    UserCommand("attach_evidence", "a", "Attach", "Attach a file as evidence", "evidence"),
    UserCommand(
        "add_party",
        "a",
        "Add party",
        "Add a beneficial owner, payer, person acting or other party (screened at once)",
        "parties",
    ),
    UserCommand(
        "add_receipt",
        "a",
        "Add receipt",
        "Record a receipt from the bank statement (reconciled at once)",
        "funds",
    ),
    UserCommand(
        "explain_receipt",
        "e",
        "Explain",
        "Explain the highlighted receipt that does not reconcile",
        "funds",
    ),
    UserCommand(
        "accept_receipt",
        "c",
        "Accept",
        "Accept the explanation of the highlighted receipt (a second person)",
        "funds",
        roles=APPROVERS,
    ),
    UserCommand(
        "return_receipt",
        "x",
        "Return",
        "Record that the highlighted receipt was sent back to the payer",
        "funds",
    ),
    # Compliance desk
    UserCommand("open_matter", "enter", "Open", "Open the highlighted matter", "desk"),
    UserCommand(
        "decide",
        "d",
        "Decide",
        "Approve or refuse the highlighted matter without opening it",
        "approvals",
        roles=APPROVERS,
    ),
    UserCommand("cycle_filter", "f", "Filter", "Next portfolio filter", "portfolio"),
    UserCommand(
        "sales_desk",
        "v",
        "Sales",
        "Each sale: the seller's and the buyers' matters with their CDD dates",
        "portfolio",
    ),
    UserCommand("run_verify", "r", "Run", "Run the verifier now", "integrity"),
    UserCommand(
        "import_list",
        "i",
        "Import",
        "Import a sanctions or PEP list file, then re-screen the open matters",
        "lists",
    ),
    UserCommand(
        "decide_hit",
        "d",
        "Decide",
        "Record a true match or a false positive for the highlighted hit",
        "hits",
    ),
    UserCommand(
        "rescreen_matter",
        "r",
        "Re-screen now",
        "Screen every party of this matter again, against the lists in use now",
        "hits",
    ),
    UserCommand(
        "add_restricted",
        "a",
        "Add",
        "Add an internal report, deliberation, SAR or DAML reference",
        "restricted",
        roles=frozenset({Role.MLRO}),
    ),
    UserCommand(
        "close_referral",
        "c",
        "Close referral",
        "Close a referral to the MLRO with an outcome (G1 waits for it)",
        "restricted",
        roles=frozenset({Role.MLRO}),
    ),
    # Going back
    UserCommand("back", "escape", "Back", "Back to the previous screen", "back"),
    UserCommand(
        "cancel",
        "escape",
        "Cancel",
        "Close the dialog, changing nothing (asks first when something is typed)",
        "modal",
    ),
)
"""The one table of commands."""


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


def keys_text(command: UserCommand, keymap: Mapping[str, str]) -> str:
    """The command's keys as remapped by the user's keymap: "F8", "Ctrl+R", "F1 or ?"."""
    return " or ".join(key_text(key) for key in keymap.get(command.id, command.key).split(","))


def commands_for(*scopes: str) -> Iterator[UserCommand]:
    """The commands of these scopes, in table order."""
    wanted = set(scopes)
    return (c for c in COMMANDS if c.scope in wanted)


def bindings_for(*scopes: str) -> list[BindingType]:
    """Bindings for a screen: one per command, each with its id (so `set_keymap` remaps it)."""
    return [
        Binding(
            c.key,
            c.action,
            c.title,
            show=c.show,
            id=c.id,
            tooltip=c.help,
            priority=c.priority,
        )
        for c in commands_for(*scopes)
    ]


def allowed(command: UserCommand, roles: tuple[Role, ...]) -> bool:
    """Whether someone holding `roles` may use the command."""
    return not command.roles or bool(command.roles.intersection(roles))


class CommandsProvider(Provider):
    """The command palette: every command of the current screen and the app the user may use."""

    def _available(self) -> list[UserCommand]:
        screen: Screen[object] = self.screen
        scopes: tuple[str, ...] = getattr(screen, "COMMAND_SCOPES", ())
        found = []
        seen: set[str] = set()
        for command in commands_for("app", *scopes):
            if command.id in seen or command.id in ("quit",):
                continue
            if screen.check_action(command.action, ()) is False:
                continue
            if command.scope == "app" and self.app.check_action(command.action, ()) is False:
                continue
            seen.add(command.id)
            found.append(command)
        return found

    async def _run(self, command: UserCommand) -> None:
        target = self.app if command.scope == "app" else self.screen
        await target.run_action(command.action)

    def _title(self, command: UserCommand) -> str:
        # The key beside the title: the palette teaches the keys it stands in for.
        keymap: Mapping[str, str] = getattr(getattr(self.app, "settings", None), "keymap", {})
        return f"{command.title} ({keys_text(command, keymap)})"

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(self._title(command), partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            text = f"{self._title(command)}: {command.help}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(text), partial(self._run, command), help=command.help
                )
