"""The matter: checklists tree, the current question with its input, risk, gates and what's missing.

Every answer is saved as it is given (in a worker, one at a time, in order) and the matter is
read and evaluated again, so branching questions, the risk panel and the gates update live.
Checklists the evaluator asks for (PEP EDD, source of wealth, ...) start as soon as it does.
Whatever is typed is saved before the question changes, and leaving the matter or quitting waits
until every answer given is stored (`finish`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.messages import Prune
from textual.widgets import Button, Footer, Header, OptionList, Static, Tree
from textual.widgets.tree import TreeNode

from duediligence.domain.answers import AnswerValue, parse_answer
from duediligence.domain.case import AnswerVersion, Run
from duediligence.domain.checklist import Checklist, Question, QuestionType, Section
from duediligence.domain.controls import out_of_scope_choice
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.evaluation import CLIENT
from duediligence.domain.vocabulary import Rating, Role
from duediligence.services.reading import CaseView, answer_in_words
from duediligence.tui.commands import bindings_for
from duediligence.tui.messages import Failed, MatterChanged
from duediligence.tui.modals.find import FindQuestion
from duediligence.tui.modals.reason import GiveReason
from duediligence.tui.screens.base import BaseScreen
from duediligence.tui.widgets.answer import AnswerInput
from duediligence.tui.widgets.panels import (
    LinkList,
    PointsPanel,
    RiskPanel,
    gate_options,
    missing_options,
    standing_overrides,
    target_of,
)

Position = tuple[str, str]
"""(run key, question key) of one question on the matter."""
Answer = tuple[str, str, str | None, AnswerValue | None, str | None]
"""An answer to store: run key, question key, text as typed or value, the MLRO's reason."""
"""(run key, question key, text as typed, typed value) of one answer to store."""


class MatterScreen(BaseScreen):
    """One matter, worked through question by question."""

    COMMAND_SCOPES = ("matter",)
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings_for("matter"),
        *bindings_for("back"),
    ]

    def __init__(self, reference: str) -> None:
        super().__init__()
        self.reference = reference
        self.view: CaseView | None = None
        self.current: Position | None = None
        self._order: list[Position] = []
        self._question_nodes: dict[Position, TreeNode[Position | None]] = {}
        self._lock = asyncio.Lock()
        self._marks: dict[Position, tuple[bool, bool]] = {}
        self._index: dict[str, dict[str, tuple[Section, Question]]] = {}
        self._section_marks: dict[int, bool] = {}
        self.answer_input: AnswerInput | None = None
        """The input of the question on show."""
        self._screening_notes: list[str] | None = None
        """What the matter's screening does not cover (read once)."""
        self._unsaved: list[Answer] = []
        """Answers given and not yet stored, in the order given."""
        self._storing: asyncio.Task[CaseView | None] | None = None
        self._leaving = False
        """The matter is being left (or the app quit): store what is given, show no more."""

    # ------------------------------------------------------------------------------------------
    # Layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="matter-body"):
            tree: Tree[Position | None] = Tree(Text(self.reference), id="checklists")
            tree.show_root = False
            yield tree
            # Not focusable: Tab from the tree goes to the answer, not to the scroll area.
            with VerticalScroll(id="question", can_focus=False):
                yield Static("", id="q-where", classes="muted", markup=False)
                yield Static("", id="q-text", classes="title", markup=False)
                yield Vertical(id="q-input")
                yield Static("", id="q-history", classes="muted", markup=False)
                yield Static("", id="q-guidance", markup=False)
                yield Static("", id="q-citations", classes="muted", markup=False)
            with VerticalScroll(id="side"):
                yield RiskPanel(id="risk")
                yield Static("Gates", classes="panel-title")
                yield LinkList(id="gates")
                yield Static("What's missing", classes="panel-title", id="missing-title")
                yield LinkList(id="missing")
                yield Static("Score breakdown", classes="panel-title")
                yield PointsPanel(id="points")
        yield Static("", id="notice", markup=False)
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        try:
            view = self.dd.casefile.view(self.reference)
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            self.app.pop_screen()
            return
        self.apply(view)
        first = self._first_missing() or (self._order[0] if self._order else None)
        if first:
            self.go_to(first, focus=False)
        self.query_one("#checklists", Tree).focus()

    def on_resize(self) -> None:
        # At 80 columns the tree gives way to the question and panels (Ctrl+B shows it again).
        self.set_class(self.size.width < 100, "-narrow")

    # ------------------------------------------------------------------------------------------
    # Reading the matter

    def checklist(self, run: Run) -> Checklist | None:
        return self.dd.casefile.library.get(run.checklist_id)

    def run_by_key(self, key: str) -> Run | None:
        assert self.view is not None
        return next((r for r in self.view.records.runs if r.key == key), None)

    def question_at(self, position: Position) -> tuple[Run, Section, Question] | None:
        run = self.run_by_key(position[0])
        checklist = self.checklist(run) if run else None
        if run is None or checklist is None:
            return None
        base = position[1].partition("#")[0]
        for section, question in checklist.questions():
            if question.id == base:
                return run, section, question
        return None

    def answers_of(self, run: Run, key: str) -> list[AnswerVersion]:
        assert self.view is not None
        return [
            a for a in self.view.records.answers if a.run_id == run.id and a.question_key == key
        ]

    def latest(self, run: Run, key: str) -> AnswerValue | None:
        versions = self.answers_of(run, key)
        return versions[-1].value if versions else None

    def _positions(self, view: CaseView) -> Iterator[tuple[Run, Section, str, Question]]:
        for run in view.records.runs:
            checklist = self.checklist(run)
            if checklist is None:
                continue
            where = self._index.get(checklist.id)
            if where is None:
                where = self._index[checklist.id] = {q.id: (s, q) for s, q in checklist.questions()}
            for key in view.evaluation.visible.get(run.key, ()):
                found = where.get(key.partition("#")[0])
                if found:
                    yield run, found[0], key, found[1]

    # ------------------------------------------------------------------------------------------
    # Showing it

    def apply(self, view: CaseView, focus_key: str | None = None) -> None:
        """Show a freshly evaluated matter: tree marks, panels, and the current question."""
        old = self.view
        self.view = view
        missing = {(m.run_id, m.question_id) for m in view.evaluation.missing}
        order = [(run.key, key) for run, _, key, _ in self._positions(view)]
        # The panels first: they are what the person looks at after answering.
        self.query_one("#risk", RiskPanel).show(view)
        self.query_one("#gates", LinkList).show(gate_options(view.evaluation, view.gate_title))
        self.query_one("#missing", LinkList).show(missing_options(view.evaluation))
        self.query_one("#missing-title", Static).update(
            f"What's missing ({len(view.evaluation.missing)})"
        )
        if order != self._order or old is None:
            # Questions appeared or went away: the tree's shape changes now.
            self._build_tree(view, missing)
            self._order = order
            if self.current is not None:
                # The cursor keeps its line, now another node's: put it on the question shown.
                self._cursor_to(self.current)
        else:
            # Only marks change: after this frame (hundreds of nodes in a big matter).
            self.call_later(self._mark_tree, view, missing)
        self.call_later(self.query_one("#points", PointsPanel).show, view)
        notes = []
        if view.unloaded_checklists:
            notes.append(f"not loaded: {', '.join(view.unloaded_checklists)}")
        if view.changed_checklists:
            notes.append(f"checklist changed since started: {', '.join(view.changed_checklists)}")
        if self._screening_notes is None:
            # Read once: the lists change only by an import, which re-screens the matter.
            self._screening_notes = self.dd.casefile.screening_warnings(self.reference)
        notes.extend(self._screening_notes)
        self.query_one("#status", Static).update(" · ".join(notes))
        title = f"{self.reference} · {view.records.case.matter_type.replace('_', ' ')}"
        if self.sub_title != title:
            self.sub_title = title
        if self.current is not None and self.current not in set(order):
            self.current = None
        if self.current is not None:
            self._show_history()

    def _label(self, question: Question, key: str, answered: bool, missing: bool) -> Text:
        mark = "✔ " if answered else ("○ " if missing else "· ")
        style = "green" if answered else ("yellow" if missing else "dim")
        text = Text(mark, style=style)
        if "#" in key:
            # The entry first: a narrow tree cuts the end of a label, and two tranches' "Source
            # of this tranche" lines must still differ.
            text.append(f"#{key.partition('#')[2]} ", style="bold")
        text.append(question.text[:120])
        return text

    def _answered(self, view: CaseView) -> set[tuple[str, str]]:
        ids = {r.id: r.key for r in view.records.runs}
        return {(ids.get(a.run_id, ""), a.question_key) for a in view.records.answers}

    def _build_tree(self, view: CaseView, missing: set[tuple[str, str]]) -> None:
        tree = self.query_one("#checklists", Tree)
        tree.clear()
        self._question_nodes.clear()
        self._marks.clear()
        self._section_marks.clear()
        answered = self._answered(view)
        runs: dict[str, TreeNode[Position | None]] = {}
        sections: dict[tuple[str, str], TreeNode[Position | None]] = {}
        for run, section, key, question in self._positions(view):
            checklist = self.checklist(run)
            assert checklist is not None
            if run.key not in runs:
                who = "" if run.subject == "client" else f" ({run.subject})"
                runs[run.key] = tree.root.add(
                    Text(f"{checklist.title[:80]}{who}"), expand=True, data=None
                )
            if (run.key, section.id) not in sections:
                sections[(run.key, section.id)] = runs[run.key].add(
                    Text(section.title), expand=True, data=None
                )
            position = (run.key, key)
            state = (position in answered, position in missing)
            self._marks[position] = state
            node = sections[(run.key, section.id)].add_leaf(
                self._label(question, key, *state), data=position
            )
            self._question_nodes[position] = node
        self._mark_sections(missing)

    def _mark_tree(self, view: CaseView, missing: set[tuple[str, str]]) -> None:
        # Only labels whose mark changed are set again: a big matter has hundreds of nodes.
        answered = self._answered(view)
        for run, _, key, question in self._positions(view):
            position = (run.key, key)
            node = self._question_nodes.get(position)
            state = (position in answered, position in missing)
            if node is not None and self._marks.get(position) != state:
                self._marks[position] = state
                node.set_label(self._label(question, key, *state))
        self._mark_sections(missing)

    def _mark_sections(self, missing: set[tuple[str, str]]) -> None:
        tree = self.query_one("#checklists", Tree)
        for run_node in tree.root.children:
            for section_node in run_node.children:
                positions = [c.data for c in section_node.children if c.data]
                done = not any(p in missing for p in positions)
                if self._section_marks.get(section_node.id) == done:
                    continue
                self._section_marks[section_node.id] = done
                title = str(section_node.label).lstrip("✔○ ")
                section_node.set_label(
                    Text(("✔ " if done else "○ ") + title, style="green" if done else "")
                )

    def go_to(self, position: Position, *, focus: bool = True) -> None:
        """Show a question (from the tree, a gate reason or the missing list); what is typed for
        the question shown before is saved first. The tree's cursor follows (when the tree's
        cursor asked, it is there already and does not move)."""
        found = self.question_at(position)
        if found is None:
            self.dd.show_error(f"{position[1]} is not shown on this matter now")
            return
        self.take_typed()
        run, section, question = found
        self.current = position
        checklist = self.checklist(run)
        who = "" if run.subject == "client" else f" · {run.subject}"
        title = checklist.title if checklist else run.checklist_id
        self.query_one("#q-where", Static).update(f"{title}{who} › {section.title} · {position[1]}")
        required = "" if question.required else "  (optional)"
        self.query_one("#q-text", Static).update(f"{question.text}{required}")
        self.query_one("#q-guidance", Static).update(question.guidance)
        self.query_one("#q-citations", Static).update("Sources: " + "; ".join(question.citations))
        assert self.view is not None
        holder = self.query_one("#q-input", Vertical)
        holder.remove_children()
        widget = AnswerInput(
            question,
            position[1],
            self.latest(run, position[1]),
            self.view.records.parties,
            self.view.records.evidence,
            run_key=position[0],
            # Focused when its fields exist: asked now, they are not composed yet and Enter on
            # the tree left the cursor in the tree, so what was typed next went nowhere.
            focus=focus,
        )
        holder.mount(widget)
        self.answer_input = widget
        self._show_history()
        self._cursor_to(position)

    def _cursor_to(self, position: Position) -> None:
        """Put the tree's cursor on a question's node unless it is there (a move tells
        `_highlighted`, which finds the question already shown and does nothing)."""
        node = self._question_nodes.get(position)
        if node is None:
            return
        tree = self.query_one("#checklists", Tree)
        if node.line < 0:
            # Nodes added since the tree last laid out its lines have none yet: asking for the
            # last line lays them out now (a cursor moved to line -1 lands on the first line).
            _ = tree.last_line
        if tree.cursor_node is not node and node.line >= 0:
            tree.move_cursor(node)

    def _show_history(self) -> None:
        if self.current is None:
            return
        found = self.question_at(self.current)
        if found is None:
            return
        run, _, question = found
        versions = self.answers_of(run, self.current[1])
        if not versions:
            text = "Not answered yet."
        else:
            last = versions[-1]
            assert self.view is not None
            shown = answer_in_words(self.view.records, last.value, question)
            text = (
                f"Answer: {shown}  ·  v{last.number} by "
                f"{last.answered_by} {last.answered_at:%Y-%m-%d %H:%M}"
            )
        self.query_one("#q-history", Static).update(text)

    def _first_missing(self) -> Position | None:
        assert self.view is not None
        for m in self.view.evaluation.missing:
            return (m.run_id, m.question_id)
        return None

    # ------------------------------------------------------------------------------------------
    # Events

    @on(Tree.NodeHighlighted, "#checklists")
    def _highlighted(self, event: Tree.NodeHighlighted[Position | None]) -> None:
        # While a key repeats, highlights queue up behind the cursor: only the cursor's own node
        # is shown (the others are gone past; going back to them moved the cursor back, which
        # queued more highlights, for ever). Showing the cursor's node leaves the cursor there.
        if event.node is not event.control.cursor_node:
            return
        if event.node.data is not None and event.node.data != self.current:
            self.go_to(event.node.data, focus=False)

    @on(Tree.NodeSelected, "#checklists")
    def _selected(self, event: Tree.NodeSelected[Position | None]) -> None:
        if event.node.data is not None:
            self.go_to(event.node.data)

    @on(OptionList.OptionSelected, "#gates, #missing")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        target = target_of(event.option.id)
        if target is not None:
            self.go_to(target)

    def on_answer_input_given(self, message: AnswerInput.Given) -> None:
        self.given(message)

    def given(self, message: AnswerInput.Given, *, shown: bool = True) -> None:
        """Check an answer and queue it to be stored; `shown` is False when its input is going
        (the question changes, the matter is left), so a refusal is said in a toast."""
        if self.view is None:
            return
        position = (message.run_key, message.key) if message.run_key else self.current
        found = self.question_at(position) if position is not None else None
        if found is None:
            return
        run, _, question = found
        where = "" if shown else f"Not saved: {question.text[:60]}: "
        if question.type is QuestionType.RATING and isinstance(message.value, str):
            refusal = self.refusal(Rating(message.value))
            if refusal:
                if self.answer_input is not None and shown:
                    self.answer_input.show_error(refusal)
                self.dd.show_error(where + refusal)
                return
        try:
            value = (
                parse_answer(question, message.raw) if message.raw is not None else message.value
            )
        except DueDiligenceError as error:
            if self.answer_input is not None and shown:
                self.answer_input.show_error(str(error))
            else:
                self.dd.show_error(where + str(error))
            return
        if value is not None and out_of_scope_choice(question, value) is not None:
            # "Out of scope of the MLR" hides CDD and every approval: the case file takes it
            # only from the MLRO, with a reason (refused outright on a conveyancing matter). The
            # MLRO is asked for the reason here; anyone else's answer goes to the case file,
            # which says why not. Not shown ahead of the case file's word.
            if Role.MLRO in self.dd.roles and shown and not self._leaving:
                self._ask_scope_reason(run, message)
                return
            self._queue(run, message, None)
            return
        if value is not None and not self._leaving:
            # The panels follow the answer at once (evaluated in memory, a few milliseconds);
            # the save runs behind and the stored matter replaces this provisional view.
            self.apply(self.provisional(run, message.key, value))
        self._queue(run, message, None)

    def _queue(self, run: Run, message: AnswerInput.Given, reason: str | None) -> None:
        self._unsaved.append((run.key, message.key, message.raw, message.value, reason))
        if not self._leaving:
            self.save()

    def _ask_scope_reason(self, run: Run, message: AnswerInput.Given) -> None:
        def given(reason: str | None) -> None:
            if reason is None:
                if self.answer_input is not None:
                    self.answer_input.show_error("Not saved: it needs your reason as the MLRO.")
                return
            self._queue(run, message, reason)

        self.app.push_screen(
            GiveReason(
                "Out of scope of the MLR",
                f"{self.reference}: only the MLRO may say the regulations do not apply, with a "
                "reason printed in the audit file. Say what the work is and why none of the "
                "regulated activities (MLR regs 11-12) is involved.",
                "an out-of-scope answer",
            ),
            given,
        )

    def take_typed(self) -> None:
        """Queue what is typed (and valid) in the question shown, before its input goes."""
        widget = self.answer_input
        if widget is None:
            return
        given = widget.take()
        if given is not None:
            self.given(given, shown=False)
        elif widget.invalid and widget.invalid != widget.reported:
            widget.reported = widget.invalid
            self.dd.show_error(f"Not saved: {widget.question.text[:60]}: {widget.invalid}")

    def provisional(self, run: Run, key: str, value: AnswerValue) -> CaseView:
        """The matter as it will be once this answer is stored: evaluated, not yet saved."""
        assert self.view is not None
        return self.dd.casefile.preview_answer(self.view, run, key, value, self.dd.actor)

    def refusal(self, rating: Rating) -> str | None:
        """Why a rating cannot be chosen (below a floor or a trigger, no MLRO override on file
        accepting it), or None."""
        assert self.view is not None
        e = self.view.evaluation
        if rating.at_least(e.minimum_rating) or rating in standing_overrides(self.view):
            return None
        reasons = [t.reason for t in e.triggers] + [
            f.reason for f in e.floors if not rating.at_least(f.rating)
        ]
        # The override needs a long rationale of its own, so it is given in the sign-off dialog.
        who = (
            ". As MLRO you may override it with a rationale: press F7 (Sign off)"
            if Role.MLRO in self.dd.roles
            else "; only the MLRO may override"
        )
        return (
            f"Refused: {rating.value.capitalize()} is below the lowest rating allowed "
            f"({e.minimum_rating.value.capitalize()}) because: " + "; ".join(reasons) + who
        )

    @work(group="save", exit_on_error=False)
    async def save(self) -> None:
        """Store the answers given, start any checklist now needed, and read the matter again."""
        await self._store_given()

    async def _store_given(self) -> None:
        # One at a time, in the order given (the lock); each save runs to its end even when the
        # worker waiting on it is cancelled with the screen (shielded, and awaited by the next).
        async with self._lock:
            if self._storing is not None:
                with contextlib.suppress(Exception):
                    await self._storing
            stored: tuple[CaseView, str] | None = None
            while self._unsaved:
                answer = self._unsaved[0]
                self._storing = asyncio.ensure_future(self._store(answer))
                view = await asyncio.shield(self._storing)
                if view is not None:
                    stored = (view, answer[1])
            self._storing = None
            if stored is not None and not self._leaving:
                self.post_message(MatterChanged(*stored))

    async def _store(self, answer: Answer) -> CaseView | None:
        try:
            return await asyncio.to_thread(self._save, *answer)
        except DueDiligenceError as error:
            if self._leaving:
                self.dd.show_error(f"Not saved: {error}")
            else:
                self.post_message(Failed(str(error)))
            return None
        finally:
            self._unsaved.remove(answer)

    async def finish(self) -> None:
        """Save what is typed and wait until every answer given is stored: called before the
        matter is left and before the app quits."""
        self._leaving = True
        self.take_typed()
        await self._store_given()

    def _save(
        self,
        run_key: str,
        key: str,
        raw: str | None,
        value: AnswerValue | None,
        reason: str | None,
    ) -> CaseView:
        # One transaction: the answer, any checklist it makes necessary, and the matter as it
        # then stands (one read, one evaluation), which replaces the provisional view.
        return self.dd.casefile.answer_and_read(
            self.dd.actor, self.reference, key, raw, value=value, run_key=run_key, reason=reason
        )

    def _start_needed(self) -> CaseView:
        casefile = self.dd.casefile
        view = casefile.view(self.reference)
        needed = [s for s in view.evaluation.spawns if s.run_id is None]
        if not needed:
            return view
        for need in needed:
            casefile.start_checklist(self.dd.actor, self.reference, need.checklist_id, need.subject)
        return casefile.view(self.reference)

    def on_matter_changed(self, message: MatterChanged) -> None:
        self.apply(message.view, message.focus_key)

    def on_failed(self, message: Failed) -> None:
        if self.answer_input is not None:
            self.answer_input.show_error(message.text)
        self.dd.show_error(message.text)

    def say(self, text: str) -> None:
        """Keep a message (a refusal, a warning) on screen under the matter until the next one."""
        self.query_one("#notice", Static).update(text)

    def reload(self) -> None:
        """Read the matter again after a change made elsewhere (evidence, events, approvals)."""
        try:
            view = self._start_needed()
        except DueDiligenceError as error:
            self.dd.show_error(str(error))
            return
        self.apply(view)
        if self.current:
            self.go_to(self.current, focus=False)

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.reload()

    @on(Prune)
    def _pruned(self) -> None:
        # The screen is going without `finish` (the app closed some other way): take what is
        # typed while the inputs are still there; unmounting stores it.
        if not self._leaving:
            self._leaving = True
            self.take_typed()

    async def on_unmount(self) -> None:
        # Unmounting cancelled the save workers: what they had not stored is stored now.
        self._leaving = True
        await self._store_given()

    # ------------------------------------------------------------------------------------------
    # Commands

    def _step(self, delta: int) -> None:
        # What is typed is saved first: the answer may change which questions follow.
        self.take_typed()
        if not self._order:
            return
        index = self._order.index(self.current) if self.current in self._order else -1
        self.go_to(self._order[(index + delta) % len(self._order)])

    def action_next_question(self) -> None:
        self._step(1)

    def action_previous_question(self) -> None:
        self._step(-1)

    def action_next_missing(self) -> None:
        assert self.view is not None
        missing = [(m.run_id, m.question_id) for m in self.view.evaluation.missing]
        if not missing:
            self.notify("Nothing is missing.", timeout=3)
            return
        later = [
            p
            for p in missing
            if self.current in self._order
            and p in self._order
            and self._order.index(p) > self._order.index(self.current)
        ]
        self.go_to((later or missing)[0])

    def action_find_question(self) -> None:
        if self.view is None:
            return
        questions = []
        for position in self._order:
            found = self.question_at(position)
            if found is None:
                continue
            run, _, question = found
            checklist = self.checklist(run)
            title = checklist.title if checklist is not None else run.key
            subject = f" ({run.subject})" if run.subject != CLIENT else ""
            questions.append((position, f"{title}{subject} · {position[1]}: {question.text}"))

        def chosen(position: Position | None) -> None:
            if position is not None:
                # After the screen is back: resuming it gives the focus back to the tree.
                self.call_after_refresh(self.go_to, position)

        self.app.push_screen(FindQuestion(questions), chosen)

    def action_add_entry(self) -> None:
        """Open the next entry of the repeating group the question shown belongs to, at its
        first question: the entry exists once that is answered (entries are numbered answers,
        `tranche.amount#2`), so the guidance's "add another entry" has a key."""
        found = self.question_at(self.current) if self.current else None
        if found is None or self.view is None:
            self.dd.show_error("Choose a question of a repeating group first (a tranche, ...).")
            return
        run, section, _ = found
        if section.repeat is None:
            self.dd.show_error(f"'{section.title}' is not a repeating group: it has one entry.")
            return
        ids = {q.id for q in section.questions}
        shown = [
            int(key.partition("#")[2])
            for key in self.view.evaluation.visible.get(run.key, ())
            if key.partition("#")[0] in ids and key.partition("#")[2].isdigit()
        ]
        entry = max(shown, default=0) + 1
        if entry > section.repeat.max_entries:
            self.dd.show_error(
                f"'{section.title}' takes at most {section.repeat.max_entries} entries."
            )
            return
        self.go_to((run.key, f"{section.questions[0].id}#{entry}"))
        self.notify(f"{section.repeat.label} {entry}: answer this to add it.", timeout=4)

    def action_toggle_tree(self) -> None:
        self.toggle_class("-tree-shown")

    def action_back(self) -> None:
        if not self._leaving:
            self._leaving = True
            self._leave()

    @work(group="leave", exit_on_error=False)
    async def _leave(self) -> None:
        # The list shows only once every answer given, and what is typed, is stored.
        await self.finish()
        if self.app.screen is self:
            self.app.pop_screen()
        else:
            self._leaving = False  # something was opened over the matter meanwhile: stay

    def action_attach_evidence(self) -> None:
        from duediligence.tui.screens.evidence import attach_evidence

        attach_evidence(self, self.reference, self.current)

    def action_evidence_list(self) -> None:
        from duediligence.tui.screens.evidence import EvidenceScreen

        self.app.push_screen(EvidenceScreen(self.reference))

    def action_timeline(self) -> None:
        from duediligence.tui.screens.evidence import TimelineScreen

        self.app.push_screen(TimelineScreen(self.reference))

    def action_screening_hits(self) -> None:
        from duediligence.tui.screens.hits import HitsScreen

        self.app.push_screen(HitsScreen(self.reference))

    def action_audit_trail(self) -> None:
        from duediligence.tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen(self.reference))

    def action_sign_off(self) -> None:
        from duediligence.tui.flows.sign_off import sign_off

        sign_off(self)

    def action_approve(self) -> None:
        from duediligence.tui.flows.approvals import approve

        approve(self)

    def action_request_approvals(self) -> None:
        from duediligence.tui.flows.approvals import request_approvals

        request_approvals(self)

    def action_verify_matter(self) -> None:
        from duediligence.tui.screens.integrity import IntegrityScreen

        self.app.push_screen(IntegrityScreen(self.reference))

    def action_render_pdf(self) -> None:
        from duediligence.tui.render import render_pdf

        render_pdf(self, self.reference)

    async def action_cancel_render(self) -> None:
        from duediligence.tui.render import cancel_render

        await cancel_render(self, self.reference)

    @on(Button.Pressed, "#render-cancel")
    async def _stop_render(self) -> None:
        await self.action_cancel_render()

    def action_funds(self) -> None:
        from duediligence.tui.screens.funds import FundsScreen

        self.app.push_screen(FundsScreen(self.reference))

    def action_parties(self) -> None:
        from duediligence.tui.screens.parties import PartiesScreen

        self.app.push_screen(PartiesScreen(self.reference))
