"""The answer input for one question: the right widget for each question type.

It only collects: every complete answer is posted as `AnswerInput.Given` (a typed value or the
text as typed) and the matter screen saves it at once; there is no save button. A choice is saved
when it is made (Enter); text when typing pauses; text, dates, date-times, percentages, amounts
and a country typed in full when Enter is pressed or the field is left. Whatever is typed and
valid is also saved when the question changes or the matter is left: the screen asks `take()`
for it. Invalid input shows its error and is not saved. Each value is given once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from duediligence.domain.answers import (
    AnswerValue,
    Money,
    display_answer,
    meaningful_length,
    parse_answer,
)
from duediligence.domain.case import Evidence, Party
from duediligence.domain.checklist import Question, QuestionType
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.iso import COUNTRIES
from duediligence.domain.vocabulary import Rating
from duediligence.screening.countries import find_countries

CURRENCIES = ("GBP", "EUR", "USD", "CHF", "AED", "CNY", "HKD", "JPY", "RUB", "SGD", "TRY", "INR")
"""Currencies offered first (any ISO 4217 code can be typed with the amount)."""

TEXT_PAUSE = 0.8
"""Seconds of no typing after which text is saved."""


class ParsedBy(Validator):
    """Validates a field with the same `parse_answer` the service uses (one source of rules)."""

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.success()
        try:
            parse_answer(self.question, value)
        except DueDiligenceError as error:
            return self.failure(str(error))
        return self.success()


class AnswerInput(Vertical):
    """Input for one question's answer."""

    @dataclass
    class Given(Message):
        """A complete answer, to be saved now."""

        key: str
        raw: str | None = None
        value: AnswerValue | None = None
        run_key: str = ""
        """The run of the question ("" when the input was made without one)."""

    def __init__(
        self,
        question: Question,
        key: str,
        current: AnswerValue | None,
        parties: tuple[Party, ...],
        evidence: tuple[Evidence, ...],
        *,
        run_key: str = "",
        focus: bool = False,
    ) -> None:
        super().__init__()
        self._focus_on_mount = focus
        """Put the cursor in the input once it is there (asked before its fields exist)."""
        self.question = question
        self.key = key
        self.run_key = run_key
        self.current = current
        self.parties = parties
        self.evidence = evidence
        self._timer: Timer | None = None
        self._last_sent: str | None = None
        self._searching = False
        """A country name is typed in the search and no country was chosen since."""
        self.invalid: str | None = None
        """Why what is typed was not taken as an answer on the last `take()` (None: it was,
        or nothing new is typed)."""
        self.reported: str | None = None
        """The refusal already told in a toast (leaving the field and the question both
        take what is typed: the same refusal was shown twice)."""

    # ------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        q = self.question
        kind = q.type
        current = self.current
        if kind is QuestionType.YESNO:
            yield OptionList(Option("Yes", id="yes"), Option("No", id="no"), id="choice")
        elif kind is QuestionType.RATING and not q.options:
            yield OptionList(
                *(Option(r.value.capitalize(), id=r.value) for r in Rating), id="choice"
            )
        elif kind in (QuestionType.CHOICE, QuestionType.RATING):
            yield OptionList(
                *(Option(o.label, id=o.value) for o in q.options), id="choice", markup=False
            )
        elif kind is QuestionType.MULTI:
            chosen = set(current) if isinstance(current, tuple) else set()
            yield SelectionList[str](
                *((o.label, o.value, o.value in chosen) for o in q.options), id="multi"
            )
        elif kind is QuestionType.TEXT:
            text = current if isinstance(current, str) else ""
            self._last_sent = text
            yield TextArea(text, id="text", soft_wrap=True, show_line_numbers=False)
            yield Static(self._count_text(text), id="count")
        elif kind is QuestionType.MONEY:
            amount = f"{current.amount:f}" if isinstance(current, Money) else ""
            currency = current.currency if isinstance(current, Money) else "GBP"
            options = list(dict.fromkeys((currency, *CURRENCIES)))
            self._last_sent = f"{amount} {currency}" if amount else None
            with Horizontal(id="money"):
                # Not restricted to digits: "£30m" must be read as 30,000,000 (or refused), never
                # cut to "30" by the field. What the amount reads as is shown below it.
                yield Input(amount, placeholder="Amount, e.g. 250000 or 1.5m", id="amount")
                yield Select(
                    [(c, c) for c in options], value=currency, allow_blank=False, id="currency"
                )
            yield Static("", id="money-reading", markup=False, classes="muted")
        elif kind is QuestionType.COUNTRY:
            yield Input(placeholder="Type a country name or code…", id="country-search")
            yield OptionList(*self._countries(""), id="countries", markup=False)
        elif kind is QuestionType.PARTY:
            yield OptionList(
                *(
                    Option(f"{p.label}: {p.name} ({p.role.value.replace('_', ' ')})", id=p.label)
                    for p in self.parties
                ),
                id="choice",
                markup=False,
            )
            if not self.parties:
                yield Static("This matter has no parties yet.", classes="muted")
        elif kind is QuestionType.EVIDENCE:
            attached = [e for e in self.evidence if e.question_key == self.key]
            lines = [
                f"• {e.original_name} ({e.document_type}) sha256 {e.sha256[:12]}…" for e in attached
            ]
            expected = ", ".join(q.evidence.documents) if q.evidence else "any document"
            yield Static(
                "\n".join(lines or ["No evidence attached yet."])
                + f"\nExpected: {expected}.\nPress F3 to attach a file.",
                id="evidence-here",
            )
        else:
            placeholder = {
                QuestionType.DATE: "YYYY-MM-DD (or 31/01/2026)",
                QuestionType.DATETIME: "YYYY-MM-DD HH:MM",
                QuestionType.PERCENT: "0-100",
            }.get(kind, "")
            value = "" if current is None else _plain(current, q)
            self._last_sent = value or None
            yield Input(
                value,
                placeholder=placeholder,
                id="field",
                validators=[ParsedBy(q)],
                validate_on=["changed", "submitted"],
            )
        yield Static("", id="answer-error", markup=False, classes="error")

    def on_mount(self) -> None:
        current = self.current
        choice = self.query("#choice")
        if choice:
            options = choice.first(OptionList)
            ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
            wanted = "yes" if current is True else "no" if current is False else current
            if isinstance(wanted, str) and wanted in ids:
                options.highlighted = ids.index(wanted)
            elif ids:
                options.highlighted = 0
        if self._focus_on_mount:
            self.focus_input()

    def focus_input(self) -> None:
        """Put the cursor in the input."""
        for widget in self.query("OptionList, SelectionList, TextArea, Input"):
            if widget.focusable:
                widget.focus()
                return

    # ------------------------------------------------------------------------------------------

    def _answer(self, raw: str | None = None, value: AnswerValue | None = None) -> Given:
        self.show_error("")
        return self.Given(self.key, raw=raw, value=value, run_key=self.run_key)

    def _give(self, raw: str | None = None, value: AnswerValue | None = None) -> None:
        self._send(self._answer(raw, value))

    def _send(self, given: Given) -> None:
        # Straight to the screen, not bubbled: a message waiting in this input's own queue goes
        # with the input when the question changes at once (an amount given with Enter, then
        # Ctrl+Down), and the answer with it.
        if self.is_attached:
            self.screen.post_message(given)
        else:
            self.post_message(given)

    def take(self) -> Given | None:
        """What is typed and not yet given, as an answer marked given (so it is saved once).

        None when nothing new is typed or it is not valid (its error is shown and kept in
        `invalid`). Choices are not taken: a highlighted option is not an answer until chosen.
        """
        self.invalid = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        kind = self.question.type
        if kind is QuestionType.TEXT:
            areas = self.query("#text")
            return self._typed(areas.first(TextArea).text.strip()) if areas else None
        if kind is QuestionType.MONEY:
            amounts, currencies = self.query("#amount"), self.query("#currency")
            if not amounts or not currencies:
                return None
            typed = self._money_text(
                amounts.first(Input).value, str(currencies.first(Select).value), follow=True
            )
            given = self._typed(typed)
            if given is not None and isinstance(self.current, Money):
                self._show_reading(self.current)
            return given
        if kind is QuestionType.COUNTRY:
            searches = self.query("#country-search")
            if not searches or not self._searching:
                return None
            given = self._typed(searches.first(Input).value.strip(), as_value=True)
            if given is not None:
                self._searching = False
            return given
        fields = self.query("#field")
        return self._typed(fields.first(Input).value.strip()) if fields else None

    def _typed(self, text: str, *, as_value: bool = False) -> Given | None:
        """`text` as an answer when it is new and valid (the error shown when it is not)."""
        if not text or text == self._last_sent:
            return None
        try:
            value = parse_answer(self.question, text)
        except DueDiligenceError as error:
            self.invalid = str(error)
            self.show_error(self.invalid)
            return None
        self._last_sent = text
        if value == self.current:
            # The answer already given typed again (perhaps written another way): nothing new.
            return None
        self.current = value
        if as_value:
            return self._answer(value=value)
        return self._answer(raw=text)

    def flush(self) -> None:
        """Give what is typed now if it is new and valid (on a pause, on leaving the field)."""
        given = self.take()
        if given is not None:
            self._send(given)

    def show_error(self, text: str) -> None:
        # Also called while the input is being removed (its last answer taken as it goes).
        for error in self.query("#answer-error"):
            if isinstance(error, Static):
                error.update(text)

    @on(OptionList.OptionSelected, "#choice")
    def _choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        if self.question.type is QuestionType.YESNO:
            self._give(value=chosen == "yes")
        elif chosen is not None:
            self._give(value=chosen)

    @on(SelectionList.SelectedChanged, "#multi")
    def _multi(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        selected = tuple(str(v) for v in event.selection_list.selected)
        if selected != self.current:
            self.current = selected
            self._give(value=selected)

    @on(TextArea.Changed, "#text")
    def _typing(self, event: TextArea.Changed) -> None:
        event.stop()
        text = event.text_area.text
        self.query_one("#count", Static).update(self._count_text(text))
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TEXT_PAUSE, self.flush)

    def _count_text(self, text: str) -> str:
        # Counted as the evaluator counts it: padding and repetition say nothing.
        length = meaningful_length(text)
        minimum = self.question.min_length
        if minimum is None:
            return f"{length} characters"
        mark = "✔" if length >= minimum else f"{minimum - length} more needed"
        return f"{length} / at least {minimum} characters  {mark}"

    @on(Input.Submitted, "#field")
    def _field_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()

    @on(Input.Changed, "#field")
    def _field_changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        self.query_one("#answer-error", Static).update(
            "" if result is None or result.is_valid else "; ".join(result.failure_descriptions)
        )

    @on(Input.Submitted, "#amount")
    def _amount_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.show_error("Type the amount.")
            return
        self.flush()

    @on(Input.Changed, "#amount")
    def _amount_changed(self, event: Input.Changed) -> None:
        # Say at once what the amount reads as ("£30m" = GBP 30,000,000.00), or why it is not one.
        event.stop()
        typed = event.value.strip()
        reading, problem = "", ""
        if typed:
            currency = str(self.query_one("#currency", Select).value)
            try:
                value = parse_answer(self.question, self._money_text(typed, currency))
            except DueDiligenceError as error:
                problem = str(error)
            else:
                reading = f"= {display_answer(value, self.question)}"
        self.query_one("#answer-error", Static).update(problem)
        self.query_one("#money-reading", Static).update(reading)

    def _money_text(self, typed: str, currency: str, *, follow: bool = False) -> str:
        """The amount as typed, with the chosen currency unless it names its own ("£30m",
        "250000 EUR"); a currency typed with the amount wins and the list follows it."""
        typed = typed.strip()
        if not typed:
            return ""
        try:
            own = parse_answer(self.question, typed)
        except DueDiligenceError:
            return f"{typed} {currency}"
        if follow and isinstance(own, Money) and own.currency != currency:
            for select in self.query("#currency"):
                if isinstance(select, Select) and own.currency in CURRENCIES:
                    select.value = own.currency
        return typed

    def _show_reading(self, value: Money) -> None:
        for reading in self.query("#money-reading"):
            if isinstance(reading, Static):
                reading.update(f"Saved as {display_answer(value, self.question)}")

    @on(Select.Changed, "#currency")
    def _currency(self, event: Select.Changed) -> None:
        event.stop()
        self.flush()

    @on(Input.Changed, "#country-search")
    def _country_search(self, event: Input.Changed) -> None:
        event.stop()
        self._searching = bool(event.value.strip())
        self.query_one("#answer-error", Static).update("")
        options = self.query_one("#countries", OptionList)
        options.clear_options()
        options.add_options(self._countries(event.value))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Submitted, "#country-search")
    def _country_first(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#countries", OptionList)
        if options.option_count:
            chosen = options.get_option_at_index(options.highlighted or 0).id
            if chosen:
                self._choose_country(chosen)
        else:
            self.show_error(f"No country matches '{event.value}'.")

    @on(OptionList.OptionSelected, "#countries")
    def _country(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._choose_country(event.option.id)

    def _choose_country(self, code: str) -> None:
        # A country chosen from the list: the search text is no longer an answer to take.
        self._searching = False
        self._give(value=code)

    def _countries(self, text: str) -> list[Option]:
        # The screening table knows the spellings people type: "UK" is the United Kingdom.
        return [Option(f"{COUNTRIES[code]} ({code})", id=code) for code in find_countries(text)]

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Leaving a field saves what is valid in it (nothing typed is lost by moving on). From
        # the country search to its list is choosing, not leaving.
        if event.widget.id == "country-search" and self._focus_inside():
            return
        self.flush()

    def _focus_inside(self) -> bool:
        if not self.is_attached:
            return False
        focused = self.screen.focused
        return focused is not None and self in focused.ancestors


def _plain(value: AnswerValue, question: Question) -> str:
    if isinstance(value, Decimal) and question.type is QuestionType.PERCENT:
        return f"{value:f}"
    if isinstance(value, datetime):
        # A time typed without a zone is local time (domain/answers.py): the stored UTC time is
        # offered for editing in local time, so saving it unchanged keeps the same moment.
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    text = display_answer(value, question)
    return text.removesuffix(" UTC").strip()
