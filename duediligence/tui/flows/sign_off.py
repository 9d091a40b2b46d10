"""F7 on a matter: find the rating question (or say why it cannot be given now), open the sign-off
dialog with the floors and standing overrides, and save what it returns through the case file
(the override first, so a refused override saves neither answer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from duediligence.domain.case import Run
from duediligence.domain.checklist import (
    Checklist,
    Question,
    QuestionType,
    Section,
    referenced_questions,
)
from duediligence.domain.controls import rating_recorded
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.vocabulary import Rating, Role
from duediligence.tui.modals.sign_off import SignOff, SignOffForm
from duediligence.tui.widgets.panels import standing_overrides

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen


def rating_question(screen: MatterScreen) -> tuple[str, str] | str:
    """The (run key, question key) of the matter's rating question, or why it cannot be given
    now: no checklist of the matter has one, or it shows only once an earlier question is
    answered (named)."""
    view = screen.view
    assert view is not None
    hidden: str | None = None
    for run in view.records.runs:
        checklist = screen.checklist(run)
        if checklist is None:
            continue
        visible = view.evaluation.visible.get(run.key, ())
        for section, question in checklist.questions():
            if question.type is not QuestionType.RATING:
                continue
            if question.id in visible:
                return run.key, question.id
            if hidden is None:
                hidden = _why_hidden(screen, run, checklist, section, question)
    return hidden or (
        "This matter's checklists have no rating question (the rating is set on the client's "
        "CDD checklist)."
    )


def _why_hidden(
    screen: MatterScreen, run: Run, checklist: Checklist, section: Section, question: Question
) -> str:
    """Why a rating question is not shown: the earlier question to answer first, or the answer
    that hides it."""
    needed: set[str] = set()
    for condition in (section.show_when, question.show_when):
        if condition is not None:
            needed |= referenced_questions(condition)
    earlier = [q for _, q in checklist.questions() if q.id in needed]
    unanswered = [q for q in earlier if screen.latest(run, q.id) is None]
    if unanswered:
        return (
            f"The rating question shows once this is answered: '{unanswered[0].text}' "
            f"({checklist.title})."
        )
    if earlier:
        return (
            f"The rating question is not asked with the answer given to '{earlier[0].text}' "
            f"({checklist.title})."
        )
    return f"The rating question is not asked on this matter ({checklist.title})."


def sign_off(screen: MatterScreen) -> None:
    """Open the dialog for the matter's rating question and save what it returns."""
    view = screen.view
    assert view is not None
    found = rating_question(screen)
    if isinstance(found, str):
        screen.dd.show_error(found)
        return
    run_key, rating_key = found
    rationale_key = next((k for r, k in screen._order if r == run_key and "rationale" in k), None)
    run = screen.run_by_key(run_key)
    assert run is not None
    given = screen.latest(run, rating_key)
    rating = Rating(given) if isinstance(given, str) and given in set(Rating) else None
    current = ""
    min_length = 1
    if rationale_key:
        value = screen.latest(run, rationale_key)
        current = value if isinstance(value, str) else ""
        checked = screen.question_at((run_key, rationale_key))
        if checked and checked[2].min_length:
            min_length = checked[2].min_length
    e = view.evaluation
    # A trigger forces High: to the dialog it is a High floor.
    floors = [(Rating.HIGH, t.reason) for t in e.triggers] + [
        (f.rating, f.reason) for f in e.floors
    ]
    overridden = {
        rating: f"{record.overridden_by} on {record.overridden_at:%Y-%m-%d}"
        for rating, record in standing_overrides(view).items()
    }
    recorded: set[Rating] = set()
    checklist = screen.checklist(run)
    signs_off = checklist is not None and any(
        question.sign_off is not None and question.id in e.visible.get(run_key, ())
        for _, question in checklist.questions()
    )

    def save(form: SignOffForm) -> None:
        # The override first: if the service refuses it, neither answer is saved. An override
        # recorded on an earlier attempt whose answers then failed is not recorded twice.
        casefile = screen.dd.casefile
        actor = screen.dd.actor
        if form.override is not None and form.rating not in recorded:
            casefile.override_rating(actor, screen.reference, form.rating, form.override)
            recorded.add(form.rating)
        casefile.answer(
            actor, screen.reference, rating_key, value=form.rating.value, run_key=run_key
        )
        if rationale_key:
            casefile.answer(
                actor, screen.reference, rationale_key, value=form.rationale, run_key=run_key
            )

    def done(form: SignOffForm | None) -> None:
        if form is not None:
            signed = ""
            if signs_off:
                # The sign-off is you and now, filled by the case file; while the due
                # diligence is incomplete it is refused, and the rating still stands.
                try:
                    screen.dd.casefile.sign_off(screen.dd.actor, screen.reference)
                    signed = " Signed off by you now."
                except DueDiligenceError as refused:
                    signed = f" Not signed off: {refused}."
            try:
                evaluation = screen.dd.casefile.view(screen.reference).evaluation
            except DueDiligenceError as error:
                screen.dd.show_error(str(error))
            else:
                screen.notify(
                    rating_recorded(form.rating, evaluation, on_override=form.override is not None)
                    + signed,
                    timeout=6,
                )
        if form is not None or recorded:
            # Even when the answers then failed and the dialog was cancelled, an override that
            # was recorded is on file: the risk panel shows it.
            screen.reload()

    screen.app.push_screen(
        SignOff(
            e.minimum_rating,
            floors,
            min_length,
            current,
            save=save,
            may_override=Role.MLRO in screen.dd.roles,
            override_min=screen.dd.casefile.policy.risk.override_rationale_min,
            overridden=overridden,
            rating=rating,
        ),
        done,
    )
