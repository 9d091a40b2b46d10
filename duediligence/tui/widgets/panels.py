"""The matter's side panels: risk, gates (each reason a link to its question) and what's missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from duediligence.domain.case import OverrideRecord
from duediligence.domain.evaluation import Cause, Evaluation, RatingOverride
from duediligence.domain.vocabulary import Gate, Rating
from duediligence.services.reading import CaseView


def link_id(run_id: str | None, question_id: str | None) -> str | None:
    """The option id that takes the user to a question (None when a reason names none)."""
    if run_id and question_id:
        return f"{run_id}|{question_id}"
    return None


def _cause(cause: Cause) -> str:
    seen = "; ".join(f"{a.question_id} = {a.answer}" for a in cause.answers)
    where = f"{cause.run_id} {cause.question_id}" if cause.question_id else cause.run_id
    return f"{where}" + (f" ({seen})" if seen else "")


def standing_overrides(view: CaseView) -> Mapping[Rating, OverrideRecord]:
    """The MLRO overrides on file that the evaluator would rely on, by the rating they accept
    (the read model's `standing_overrides`)."""
    return view.standing_overrides


def _override_record(view: CaseView, override: RatingOverride) -> OverrideRecord | None:
    return next(
        (
            r
            for r in view.records.overrides
            if r.rating is override.rating
            and r.overridden_by == override.by
            and r.rationale.strip() == override.rationale.strip()
        ),
        None,
    )


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class RiskPanel(Static):
    """Score, floors, forced rating with causes, lowest allowed rating and approvals."""

    def show(self, view: CaseView) -> None:
        e = view.evaluation
        out = Text()
        out.append("Risk  ", style="bold")
        out.append(f"score {e.score} → {e.computed_rating.value.capitalize()}\n")
        out.append("Lowest allowed: ", style="bold")
        out.append(
            e.minimum_rating.value.capitalize() + "\n",
            style="bold red" if e.minimum_rating.value == "high" else "",
        )
        for trigger in e.triggers:
            out.append("Forced High: ", style="bold red")
            out.append(f"{trigger.reason}\n")
            out.append(f"  ← {_cause(trigger.cause)}\n", style="dim")
        for floor in e.floors:
            out.append(f"Floor {floor.rating.value.capitalize()}: ", style="bold yellow")
            out.append(f"{floor.reason}\n")
            out.append(f"  ← {_cause(floor.cause)}\n", style="dim")
        relied: set[Rating] = set()
        for rating in e.ratings:
            mark = "✔" if rating.acceptable else "✘"
            out.append(f"Chosen {rating.chosen.value.capitalize()} {mark} ", style="bold")
            out.append(f"{rating.message}\n")
            if rating.override is not None:
                relied.add(rating.override.rating)
                record = _override_record(view, rating.override)
                when = f" on {record.overridden_at:%Y-%m-%d %H:%M}" if record else ""
                out.append("MLRO override: ", style="bold magenta")
                out.append(
                    f"{rating.override.rating.value.capitalize()} accepted below "
                    f"{rating.minimum.value.capitalize()} by {rating.override.by}{when}\n"
                )
                out.append(f"  “{_short(rating.override.rationale)}”\n", style="dim")
        # An override the chosen rating no longer relies on stays on file (append-only): say so,
        # so nobody wonders where it went, without presenting it as in force.
        for accepted, record in standing_overrides(view).items():
            if accepted not in relied:
                out.append(
                    f"Override on file: {accepted.value.capitalize()} by {record.overridden_by} "
                    f"{record.overridden_at:%Y-%m-%d}, not relied on now\n",
                    style="dim",
                )
        if e.approvals:
            out.append("Approvals\n", style="bold")
            for need in e.approvals:
                mark = "✔" if need.satisfied else "…"
                out.append(f" {mark} {need.role.label} ({need.gate.value}): {need.reason}\n")
        superseded = [a for a in view.records.approvals if a.id in view.superseded]
        for approval in superseded:
            out.append("Superseded: ", style="bold yellow")
            changed = view.changes.get(approval.id, ())
            out.append(
                f"{approval.role.label} {approval.decision} by {approval.approver} "
                f"{approval.given_at:%Y-%m-%d %H:%M}: changed since: "
                + ("; ".join(c.describe() for c in changed) or "the record it relied on")
                + "\n"
            )
        for flag in e.referrals:
            out.append("MLRO referral: ", style="bold magenta")
            out.append(f"{flag.reason}\n")
        for flag in e.funds_held:
            out.append("Funds held: ", style="bold red")
            out.append(f"{flag.reason}\n")
        self.update(out)


def gate_options(evaluation: Evaluation, titles: Callable[[Gate], str]) -> list[Option]:
    """G1-G4, each open or blocked, then every reason as a selectable link.

    A reason that blocks a later gate because it blocks an earlier one is listed once, under the
    first gate it blocks; the later gate says how many it shares (gates open in order).
    """
    options: list[Option] = []
    seen: dict[tuple[str | None, str | None, str], str] = {}
    for state in evaluation.gates:
        head = Text()
        head.append(f"{state.gate.value} {titles(state.gate)}: ", style="bold")
        head.append(
            "open" if state.open else f"blocked ({len(state.reasons)})",
            style="green" if state.open else "red",
        )
        options.append(Option(head, id=f"gate-{state.gate.value}", disabled=True))
        shared: dict[str, int] = {}
        for index, reason in enumerate(state.reasons):
            key = (reason.run_id, reason.question_id, reason.message)
            if key in seen:
                shared[seen[key]] = shared.get(seen[key], 0) + 1
                continue
            seen[key] = state.gate.value
            target = link_id(reason.run_id, reason.question_id)
            label = Text(f"  → {reason.message}", style="underline" if target else "")
            option_id = f"{target}|{state.gate.value}{index}" if target else None
            options.append(Option(label, id=option_id, disabled=target is None))
        for gate, count in shared.items():
            options.append(
                Option(
                    Text(f"  … and the {count} reason(s) listed under {gate}", style="dim"),
                    disabled=True,
                )
            )
    return options


def missing_options(evaluation: Evaluation) -> list[Option]:
    """Every visible required question not yet answered, as links."""
    return [
        Option(Text(f"{m.gate.value} {m.run_id}: {m.text}"), id=f"{m.run_id}|{m.question_id}|m{i}")
        for i, m in enumerate(evaluation.missing)
    ]


def target_of(option_id: str | None) -> tuple[str, str] | None:
    """(run id, question key) from a panel option id."""
    if not option_id:
        return None
    parts = option_id.split("|")
    if len(parts) < 2:
        return None
    return parts[0], parts[1]


class LinkList(OptionList):
    """An option list whose options jump to questions; it redraws only when they change."""

    _shown: tuple[tuple[str | None, str], ...] = ()

    def show(self, options: list[Option]) -> None:
        """Replace the options unless they are the same as those on show."""
        signature = tuple((o.id, str(o.prompt)) for o in options)
        if signature != self._shown:
            self._shown = signature
            highlighted = self.highlighted
            self.set_options(options)
            if highlighted is not None and highlighted < len(options):
                self.highlighted = highlighted


class PointsPanel(Static):
    """Each rule's risk points, with the reason (the score's breakdown)."""

    def show(self, view: CaseView) -> None:
        out = Text()
        for c in view.evaluation.contributions:
            out.append(f"+{c.points} ", style="bold")
            out.append(f"{c.reason}\n")
            out.append(f"  ← {_cause(c.cause)}\n", style="dim")
        self.update(out or Text("No risk points.", style="dim"))
