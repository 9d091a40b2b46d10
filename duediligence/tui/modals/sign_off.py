"""Rating and sign-off: choose the rating (refused below the floor, with the reason), write the
rationale with a live length count, and sign off.

Below the floor only the MLRO may go on: for them the dialog reveals an override rationale (with
its own live count against the firm's minimum) and, on sign-off, the override is recorded first,
then the rating and the rationale answers. The dialog collects and `sign_off` saves through the
case file; a refusal by the service keeps the dialog open with the reason, so nothing typed is
lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Select, Static, TextArea

from duediligence.domain.answers import meaningful_length
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
from duediligence.domain.evaluation import RiskPolicy
from duediligence.domain.vocabulary import Rating, Role
from duediligence.tui.modals.base import Dialog
from duediligence.tui.widgets.panels import standing_overrides

if TYPE_CHECKING:
    from duediligence.tui.screens.matter import MatterScreen


@dataclass(frozen=True)
class SignOffForm:
    """The rating chosen, its rationale, and the MLRO's override rationale when one is needed."""

    rating: Rating
    rationale: str
    override: str | None = None
    """Why the MLRO accepts a rating below the floor (None: no override asked for)."""


class SignOff(Dialog[SignOffForm | None]):
    """The rating and sign-off dialog."""

    DEFAULT_CSS = """
    SignOff #sign-body { height: 1fr; }
    SignOff #override { height: auto; border: round $warning; padding: 0 1; }
    SignOff #override-title { text-style: bold; color: $warning; }
    SignOff #override-rationale { height: 5; }
    SignOff.-small #override-rationale { height: 4; }
    """

    def __init__(
        self,
        minimum: Rating,
        floors: Sequence[tuple[Rating, str]],
        min_length: int,
        current: str,
        *,
        save: Callable[[SignOffForm], None] | None = None,
        may_override: bool = False,
        override_min: int = RiskPolicy().override_rationale_min,
        overridden: Mapping[Rating, str] | None = None,
        rating: Rating | None = None,
    ) -> None:
        super().__init__()
        self.minimum = minimum
        self.rating = rating
        """The rating already given, preselected (None: the lowest allowed is)."""
        self.floors = tuple(floors)
        """Each floor or trigger (a trigger is a High floor) with its reason."""
        self.min_length = min_length
        self.current = current
        self.save = save
        """Stores the form; a `DueDiligenceError` it raises is shown and the dialog stays."""
        self.may_override = may_override
        """The acting person is the MLRO (the service checks again)."""
        self.override_min = override_min
        self.overridden = dict(overridden or {})
        """Ratings below the floor that an MLRO override on file already accepts (who, when)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static("Rating and sign-off", classes="title")
            with VerticalScroll(id="sign-body"):
                floor = f"Lowest rating allowed: {self.minimum.value.capitalize()}"
                yield Static(floor + "".join(f"\n• {r}" for _, r in self.floors), markup=False)
                yield Label("Your rating")
                yield Select(
                    [(r.value.capitalize(), r.value) for r in Rating],
                    # Signing off again keeps the rating given unless it is changed here.
                    value=(self.rating or self.minimum).value,
                    allow_blank=False,
                    id="rating",
                )
                yield Static("", id="override-standing", classes="muted", markup=False)
                # Right under the rating: it is that choice which asks for the override.
                with Vertical(id="override"):
                    yield Static("MLRO override", id="override-title")
                    yield Static("", id="override-why")
                    yield Static(
                        "Why the lower rating is justified (kept under your name in the audit "
                        "trail and printed in the audit file)"
                    )
                    yield TextArea("", id="override-rationale", soft_wrap=True)
                    yield Static("", id="override-count", classes="muted")
                yield Label("Rationale (your own words for this client and matter)")
                yield TextArea(self.current, id="rationale", soft_wrap=True)
                yield Static("", id="rationale-count", classes="muted")
            yield Static("", id="sign-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Sign off", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        super().on_mount()
        self._count(self.current)
        self._override_count("")
        self._show_mode()

    def chosen(self) -> Rating:
        """The rating selected now."""
        return Rating(str(self.query_one("#rating", Select).value))

    def reasons(self, rating: Rating | None = None) -> list[str]:
        """Why `rating` is too low (every floor's reason when None)."""
        return [r for floor, r in self.floors if rating is None or not rating.at_least(floor)]

    def _because(self, rating: Rating) -> str:
        # Every reason is listed just above; repeat only when some of them do not apply.
        reasons = self.reasons(rating)
        if reasons == self.reasons():
            return "for every reason above."
        return "because:" + "".join(f"\n• {r}" for r in reasons)

    def needs_override(self, rating: Rating) -> bool:
        """Below the floor and no override on file accepts it."""
        return not rating.at_least(self.minimum) and rating not in self.overridden

    @on(Select.Changed, "#rating")
    def _rating_changed(self) -> None:
        self.query_one("#sign-error", Static).update("")
        self._show_mode()

    def _show_mode(self) -> None:
        rating = self.chosen()
        box = self.query_one("#override", Vertical)
        box.display = self.may_override and self.needs_override(rating)
        if box.display:
            self.query_one("#override-why", Static).update(
                f"{rating.value.capitalize()} is below the lowest rating allowed "
                f"({self.minimum.value.capitalize()}) {self._because(rating)}\n"
                "As MLRO you may accept it; say why in full."
            )
            # On a small terminal the box is taller than the dialog: bring its text area and
            # count into view, the reasons just above them.
            count = self.query_one("#override-count", Static)
            self.call_after_refresh(count.scroll_visible, animate=False)
        standing = self.query_one("#override-standing", Static)
        on_file = self.overridden.get(rating) if not rating.at_least(self.minimum) else None
        standing.display = on_file is not None
        standing.update(
            f"{rating.value.capitalize()} stands on the MLRO override by {on_file}."
            if on_file
            else ""
        )

    @on(TextArea.Changed, "#rationale")
    def _typing(self, event: TextArea.Changed) -> None:
        self._count(event.text_area.text)

    @on(TextArea.Changed, "#override-rationale")
    def _typing_override(self, event: TextArea.Changed) -> None:
        self._override_count(event.text_area.text)

    def _count(self, text: str) -> None:
        self.query_one("#rationale-count", Static).update(_count_text(text, self.min_length))

    def _override_count(self, text: str) -> None:
        self.query_one("#override-count", Static).update(_count_text(text, self.override_min))

    def submit_form(self) -> None:
        rating = self.chosen()
        text = self.query_one("#rationale", TextArea).text.strip()
        error = self.query_one("#sign-error", Static)
        override = None
        if self.needs_override(rating):
            if not self.may_override:
                error.update(
                    f"Refused: {rating.value.capitalize()} is below "
                    f"{self.minimum.value.capitalize()}: "
                    + "; ".join(self.reasons(rating))
                    + ". Only the MLRO (nominated officer) may override, with a rationale."
                )
                return
            override = self.query_one("#override-rationale", TextArea).text.strip()
            if meaningful_length(override) < self.override_min:
                error.update(
                    f"The MLRO override needs a rationale of at least {self.override_min} "
                    f"characters ({meaningful_length(override)} so far, repetition not counted)."
                )
                return
        if meaningful_length(text) < self.min_length:
            error.update(
                f"The rationale needs at least {self.min_length} characters "
                f"({meaningful_length(text)} so far, repetition not counted)."
            )
            return
        form = SignOffForm(rating, text, override)
        if self.save is not None:
            try:
                self.save(form)
            except DueDiligenceError as refused:
                error.update(f"Not saved: {refused}")
                return
        self.dismiss(form)


def _count_text(text: str, minimum: int) -> str:
    length = meaningful_length(text)
    more = "" if length >= minimum else f" ({minimum - length} more needed)"
    return f"{length} / at least {minimum} characters{more}"


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
            overridden=overridden,
            rating=rating,
        ),
        done,
    )
