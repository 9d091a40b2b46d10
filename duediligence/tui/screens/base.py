"""What every screen shares: its commands come from the table, and role rules hide actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from duediligence.tui.app import DueDiligenceApp


class BaseScreen(Screen[None]):
    """A screen whose bindings come from `commands.py` scopes and obey the acting person's roles."""

    COMMAND_SCOPES: ClassVar[tuple[str, ...]] = ()

    @property
    def dd(self) -> DueDiligenceApp:
        """The application (typed)."""
        from duediligence.tui.app import DueDiligenceApp

        return cast(DueDiligenceApp, self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key from the footer and the palette: a fee earner never sees "Approve".
        return self.dd.may(action)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def user_changed(self) -> None:
        """The acting person changed (screens refresh what depends on roles)."""
        self.refresh_bindings()
