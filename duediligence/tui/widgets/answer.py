"""The answer input for one question: the right widget for each question type.

It only collects: every complete answer is posted as `AnswerInput.Given` (a typed value or the
text as typed) and the matter screen saves it at once; there is no save button. Text is saved
when typing pauses, dates and amounts when Enter is pressed or the field is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from duediligence.domain.answers import AnswerValue, Money, display_answer, parse_answer
from duediligence.domain.case import Evidence, Party
from duediligence.domain.checklist import Question, QuestionType
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.iso import COUNTRIES
from duediligence.domain.vocabulary import Rating

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

    def __init__(
        self,
        question: Question,
        key: str,
        current: AnswerValue | None,
        parties: tuple[Party, ...],
        evidence: tuple[Evidence, ...],
    ) -> None:
        super().__init__()
        self.question = question
        self.key = key
        self.current = current
        self.parties = parties
        self.evidence = evidence
        self._timer: Timer | None = None
        self._last_sent: str | None = None

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
                yield Input(
                    amount,
                    placeholder="Amount, e.g. 250000",
                    id="amount",
                    restrict=r"[0-9.,]*",
                )
                yield Select(
                    [(c, c) for c in options], value=currency, allow_blank=False, id="currency"
                )
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

    def focus_input(self) -> None:
        """Put the cursor in the input."""
        for widget in self.query("OptionList, SelectionList, TextArea, Input"):
            if widget.focusable:
                widget.focus()
                return

    # ------------------------------------------------------------------------------------------

    def _give(self, raw: str | None = None, value: AnswerValue | None = None) -> None:
        self.query_one("#answer-error", Static).update("")
        self.post_message(self.Given(self.key, raw=raw, value=value))

    def show_error(self, text: str) -> None:
        self.query_one("#answer-error", Static).update(text)

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

    def flush(self) -> None:
        """Save typed text now if it changed (on a pause, on leaving the field or the screen)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        areas = self.query("#text")
        if not areas:
            return
        text = areas.first(TextArea).text.strip()
        if text and text != self._last_sent and text != self.current:
            self._last_sent = text
            self._give(raw=text)

    def _count_text(self, text: str) -> str:
        length = len(text.strip())
        minimum = self.question.min_length
        if minimum is None:
            return f"{length} characters"
        mark = "✔" if length >= minimum else f"{minimum - length} more needed"
        return f"{length} / at least {minimum} characters  {mark}"

    @on(Input.Submitted, "#field")
    def _field_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._send_field(event.value, event.validation_result)

    @on(Input.Changed, "#field")
    def _field_changed(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        self.query_one("#answer-error", Static).update(
            "" if result is None or result.is_valid else "; ".join(result.failure_descriptions)
        )

    def _send_field(self, value: str, result: ValidationResult | None) -> None:
        if not value.strip():
            return
        if result is not None and not result.is_valid:
            self.show_error("; ".join(result.failure_descriptions))
            return
        if value != self._last_sent:
            self._last_sent = value
            self._give(raw=value)

    @on(Input.Submitted, "#amount")
    def _amount_done(self, event: Input.Submitted) -> None:
        event.stop()
        self._send_money()

    @on(Select.Changed, "#currency")
    def _currency(self, event: Select.Changed) -> None:
        event.stop()
        if self.query_one("#amount", Input).value.strip():
            self._send_money()

    def _send_money(self) -> None:
        amount = self.query_one("#amount", Input).value.replace(",", "").strip()
        currency = str(self.query_one("#currency", Select).value)
        if not amount:
            self.show_error("Type the amount.")
            return
        raw = f"{amount} {currency}"
        if raw != self._last_sent:
            self._last_sent = raw
            self._give(raw=raw)

    @on(Input.Changed, "#country-search")
    def _country_search(self, event: Input.Changed) -> None:
        event.stop()
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
                self._give(value=chosen)
        else:
            self.show_error(f"No country matches '{event.value}'.")

    @on(OptionList.OptionSelected, "#countries")
    def _country(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._give(value=event.option.id)

    def _countries(self, text: str) -> list[Option]:
        wanted = text.strip().lower()
        found = [
            (code, name)
            for code, name in COUNTRIES.items()
            if not wanted or wanted == code.lower() or wanted in name.lower()
        ]
        found.sort(
            key=lambda item: (
                item[0].lower() != wanted,
                not item[1].lower().startswith(wanted),
                item[1],
            )
        )
        return [Option(f"{name} ({code})", id=code) for code, name in found[:12]]

    def on_descendant_blur(self) -> None:
        # Leaving a field saves what is in it (nothing typed is lost by moving on).
        self.flush()
        fields = self.query("#field")
        if fields:
            field = fields.first(Input)
            if field.value.strip() and field.value != self._last_sent and field.is_valid:
                self._send_field(field.value, None)


def _plain(value: AnswerValue, question: Question) -> str:
    if isinstance(value, Decimal) and question.type is QuestionType.PERCENT:
        return f"{value:f}"
    text = display_answer(value, question)
    return text.removesuffix(" UTC").strip()
