"""The Textual application: opens the case file, knows who is acting, and hosts the screens.

`run(settings)` is what `duediligence` with no arguments calls. The app opens the store once,
shows the first-run set-up when the firm is not yet registered, otherwise the matters list.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, work
from textual._dispatch_key import dispatch_key
from textual.app import App
from textual.binding import BindingType
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.widget import Widget

from duediligence.adapters.identity import computer_account
from duediligence.adapters.locations import default_store_path
from duediligence.compose import OpenCaseFile, open_casefile
from duediligence.config import Settings
from duediligence.domain.case import Actor, Person, acting_person
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import Rating, Role
from duediligence.services.casefile import CaseFile
from duediligence.services.ports import Clock
from duediligence.tui.commands import COMMANDS, CommandsProvider, allowed, bindings_for
from duediligence.tui.summaries import MatterRow

if TYPE_CHECKING:
    from duediligence.services.screening import ScreeningService
    from duediligence.tui.render import RenderJob


class DueDiligenceApp(App[None]):
    """duediligence: AML due diligence for solicitors and estate agents."""

    TITLE = "duediligence"
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("app")
    COMMANDS = App.COMMANDS | {CommandsProvider}

    def __init__(
        self,
        settings: Settings,
        *,
        store_path: Path | None = None,
        clock: Clock | None = None,
        library: ChecklistLibrary | None = None,
        os_user: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        """Settings as built at start-up (theme, keymap, user, review intervals)."""
        self.store_path = store_path or settings.store or default_store_path()
        """The case-file database in use."""
        self._clock = clock
        self._library = library
        self.os_user = os_user or computer_account()
        """The operating-system account, recorded in every audit event."""
        self.opened: OpenCaseFile | None = None
        self.me: Person | None = None
        self.mlro_passphrase: str | None = None
        """The MLRO's passphrase once typed (memory only, for this session)."""
        """The person acting (None until the firm exists and someone is chosen)."""
        self.rows: dict[str, MatterRow] = {}
        """Matter rows by reference, shared by the list, the queue and the portfolio."""
        self.rows_complete = False
        self.renders: dict[str, RenderJob] = {}
        """Audit files being rendered, by matter reference (they outlive the matter screen)."""
        self._keys_bound: dict[int, events.Key] = {}
        """Keys whose bindings ran as they came up from their widget (skipped on arrival); the
        key itself is kept, so its id is not reused while it is here."""

    # ------------------------------------------------------------------------------------------

    @property
    def casefile(self) -> CaseFile:
        assert self.opened is not None, "the case file is opened on mount"
        return self.opened.casefile

    @property
    def screening(self) -> ScreeningService:
        """Screening lists, re-screens, hits and dispositions over the open case file."""
        assert self.opened is not None, "the case file is opened on mount"
        return self.opened.screening()

    @property
    def actor(self) -> Actor:
        if self.me is None:
            raise DueDiligenceError("choose who you are first (F10)")
        return Actor(user=self.me.id, os_user=self.os_user)

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.me.roles if self.me else ()

    @property
    def today(self) -> date:
        return self.casefile.clock.now().date()

    @property
    def review_months(self) -> dict[Rating, int]:
        months = self.settings.review_months
        return {Rating.HIGH: months.high, Rating.MEDIUM: months.medium, Rating.LOW: months.low}

    def _pin_console_size(self) -> None:
        # Rich asks the OS for the terminal size on every measurement unless the console's size
        # is set; a 10,000-row table measures 110,000 cells, so telling it saves about a second.
        self.console.size = (self.size.width, self.size.height)

    def on_resize(self) -> None:
        self._pin_console_size()

    def on_mount(self) -> None:
        self._pin_console_size()
        self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        try:
            self.opened = open_casefile(
                self.store_path, settings=self.settings, library=self._library, clock=self._clock
            )
        except DueDiligenceError as error:
            self.exit(message=f"duediligence: {error}")
            return
        from duediligence.tui.screens.matters import MattersScreen
        from duediligence.tui.screens.setup import SetupScreen

        # Everything loaded so far (Textual, the checklists, the store) lives as long as the app.
        # Left in the collector's oldest generation, each full collection walks it all and
        # stalls the event loop for 70-100 ms (measured in benchmarks/tui_render_stall.py);
        # frozen, those collections only walk what the session creates.
        gc.freeze()
        if self.casefile.firm() is None:
            self.push_screen(SetupScreen())
            return
        self.push_screen(MattersScreen())
        self.choose_user(self.settings.user)
        self.check_lists()

    @work(thread=True, group="check-lists", exit_on_error=False)
    def check_lists(self) -> None:
        """Warn at start-up when no screening list is imported or one in use is older than the
        firm allows."""
        try:
            warnings = self.screening.list_warnings()
        except DueDiligenceError:
            return
        if warnings:
            text = "\n".join(warnings) + "\n(Screening lists: l)"
            self.call_from_thread(
                self.notify,
                text,
                title="Screening lists",
                severity="warning",
                timeout=8,  # it covers dialogs while shown; the Lists screen keeps it
            )

    def on_unmount(self) -> None:
        if self.opened is not None:
            self.opened.close()

    def choose_user(self, wanted: str | None) -> None:
        """Act as `wanted`, the only registered person, or ask."""
        people = self.casefile.people()
        by_id = {p.id: p for p in people}
        if wanted and wanted in by_id and self.set_user(by_id[wanted]):
            return
        if len(people) == 1 and self.set_user(people[0]):
            return
        if len(people) > 1:
            self.action_switch_user()

    def set_user(self, person: Person) -> bool:
        """Act as this person from now on; actions they may not take disappear. Refused (and
        said) when the person is bound to other computer accounts."""
        try:
            acting_person(person, Actor(user=person.id, os_user=self.os_user))
        except DueDiligenceError as error:
            self.show_error(str(error))
            return False
        self.me = person
        self.sub_title = f"{person.name} ({', '.join(r.label for r in person.roles)})"
        self.refresh_bindings()
        for screen in self.screen_stack:
            refresh = getattr(screen, "user_changed", None)
            if refresh is not None:
                refresh()
        return True

    def may(self, action: str) -> bool:
        """Whether the acting person may use the command with this action."""
        for command in COMMANDS:
            if command.action == action and not allowed(command, self.roles):
                return False
        return True

    async def on_event(self, event: events.Event) -> None:
        # One key at a time, each finished before the next goes anywhere. Textual queues each
        # key for the widget focused when it arrives, and only looks up the key's bindings once
        # it has come back up from that widget to the app. Keys typed faster than that went
        # wrong (tried in tmux: 'abc' Tab 'def' Tab '123' in one go all went into the first
        # field, and a Backspace deleted a character typed after it; issue 18, issue 20
        # finding 11): Tab moved the focus only after the keys behind it were queued for the
        # old field. Here the next key waits until this one is done, so it goes to the widget
        # focused by then, as it would for a slow typist. Every form gets this from the app.
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        target = self.focused or self.screen
        # Sent by the app, a key is marked stopped as it passes the screen (Textual stops a
        # message at its sender); without a sender, stopped means a widget took it.
        event._sender = None
        await super().on_event(event)
        if event.is_forwarded:  # not taken by a priority binding
            await self._finish_key(event, target)

    async def _finish_key(self, key: events.Key, node: Widget) -> None:
        """Wait for `key` to pass up from `node` to the screen, then bind it as Textual would
        on its arrival here (bounded: a widget that stops answering leaves it to Textual)."""
        while True:
            if not node.is_attached or not await _handled(node, _KEY_WAIT):
                return
            if key._stop_propagation or node.parent is None:
                return  # a widget took it (a character typed into a field)
            if node.parent is self:
                break
            node = cast(Widget, node.parent)
        if len(self._keys_bound) > _KEYS_KEPT:  # a closing screen never passed them on
            self._keys_bound.clear()
        self._keys_bound[id(key)] = key
        if not await self._check_bindings(key.key):
            await dispatch_key(self, key)

    async def _on_key(self, event: events.Key) -> None:
        if self._keys_bound.get(id(event)) is event:
            del self._keys_bound[id(event)]
            event.prevent_default()  # bound already, in its turn: App._on_key must not again

    # ------------------------------------------------------------------------------------------
    # App-wide actions

    async def action_quit(self) -> None:
        """Quit once every open matter has stored what was typed and given (the help promises
        that every answer is already saved)."""
        from duediligence.tui.screens.matter import MatterScreen

        # Ctrl+Q is a priority key: it is acted on while the keys typed just before it still wait
        # in the screen's and the text box's queues (a fast typist lost the end of the text).
        # Those keys are handled first, so what is saved is everything typed.
        for pump in (self.screen, self.focused):
            if pump is not None:
                await _handled(pump)
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MatterScreen):
                await screen.finish()
        self.exit()

    def action_help(self) -> None:
        from duediligence.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_switch_user(self) -> None:
        from duediligence.tui.modals.user import ChooseUser

        people = self.casefile.people()

        def chosen(person_id: str | None) -> None:
            if person_id is not None:
                self.set_user({p.id: p for p in people}[person_id])

        self.push_screen(ChooseUser(people, self.me.id if self.me else None), chosen)

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast; plain text unless asked (messages carry names and references as typed)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def show_error(self, text: str) -> None:
        """A refused or invalid request: say why, in the UI."""
        self.notify(text, title="Not done", severity="error", timeout=8)


_KEY_WAIT = 2.0
"""Seconds a key waits for its widget before Textual's own order takes over."""

_KEYS_KEPT = 64
"""Keys bound already and still on their way up; more means some never arrive."""


def run(settings: Settings, store_path: Path | None = None) -> None:
    """Run the TUI until the user quits."""
    app = DueDiligenceApp(settings, store_path=store_path)
    app.run()


async def _handled(pump: MessagePump, timeout: float = 5) -> bool:
    """Wait until every message queued for `pump` before now is handled (bounded: a closing
    widget handles nothing more). False when it did not happen in time."""
    done = asyncio.Event()
    if pump.call_later(done.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout)
    return done.is_set()
