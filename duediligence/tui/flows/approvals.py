"""Deciding and requesting approvals: F8 on a matter and `d` in the approvals queue share `decide`
(the one path to a decision, bound to the view the approver was shown); ctrl+r asks for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Role
from duediligence.services.reading import CaseView
from duediligence.tui.modals.approve import ApprovalForm, Approve, outstanding_of, summary_of
from duediligence.tui.modals.request import RequestApprovals, RequestForm

if TYPE_CHECKING:
    from duediligence.tui.screens.base import BaseScreen
    from duediligence.tui.screens.matter import MatterScreen


def decide(
    host: BaseScreen,
    reference: str,
    view: CaseView,
    after: Callable[[str | None], None],
    *,
    summary: bool = False,
) -> None:
    """Ask for the decision and record it, bound to the state in `view` (what the approver was
    shown: a change since is refused). A refusal by the case file is shown in the dialog, which
    stays open with what was typed; `after` gets None once the decision is recorded."""
    dd = host.dd
    needs = list(
        dict.fromkeys((a.role, a.reason) for a in view.evaluation.approvals if not a.satisfied)
    )
    wanted = [r for r, _ in needs] or [Role.SUPERVISOR, Role.SENIOR_MANAGER, Role.MLRO]
    # Only the roles this person holds: offering the others only led to "Refused" after the
    # whole form was filled in.
    roles = [r for r in dict.fromkeys(wanted) if r in dd.roles]
    if not roles:
        asked = ", ".join(dict.fromkeys(r.label for r in wanted))
        host.notify(
            f"Only the {asked} may decide on {reference}; you hold none of these roles.",
            severity="warning",
            timeout=6,
        )
        return
    state = view.relied_on_sha256

    def record(form: ApprovalForm) -> None:
        dd.casefile.approve(
            dd.actor,
            reference,
            form.role,
            decision=form.decision,
            conditions=form.conditions,
            expected_state=state,
            incomplete_reason=form.incomplete_reason,
        )

    def done(form: ApprovalForm | None) -> None:
        if form is None:
            return
        marked = " (an incomplete file, with your reason)" if form.incomplete_reason else ""
        host.notify(f"{form.role.label} {form.decision} by {dd.actor.user}{marked}.", timeout=4)
        after(None)

    host.app.push_screen(
        Approve(
            needs,
            roles,
            summary_of(view) if summary else None,
            outstanding_of(view),
            submit=record,
        ),
        done,
    )


def approve(screen: MatterScreen) -> None:
    """The matter's F8: decide on the matter as it is on screen."""
    assert screen.view is not None

    def after(refusal: str | None) -> None:
        screen.say(refusal or "")
        if refusal is None:
            screen.reload()

    decide(screen, screen.reference, screen.view, after)


def request_approvals(screen: MatterScreen) -> None:
    """The matter's ctrl+r: ask for the approvals pending, with a note, and store the request."""
    view = screen.view
    assert view is not None
    needs = list(
        dict.fromkeys((a.role, a.reason) for a in view.evaluation.approvals if not a.satisfied)
    )
    if not needs:
        screen.notify("No approval is needed now.", timeout=4)
        return

    def done(form: RequestForm | None) -> None:
        if form is None:
            return
        try:
            request = screen.dd.casefile.request_approvals(
                screen.dd.actor, screen.reference, form.note
            )
        except DueDiligenceError as error:
            screen.dd.show_error(f"Not requested: {error}")
            return
        roles = ", ".join(r.label for r in request.roles)
        screen.notify(
            f"Approval request stored: {roles}. The matter is first in their approvals queue.",
            title="Approvals",
            timeout=6,
        )
        screen.reload()

    screen.app.push_screen(RequestApprovals(needs), done)
