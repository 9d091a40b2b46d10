"""Checklist loading and evaluation speed.

Targets (issue 2): loading and validating every bundled checklist, and one evaluation of a
300-question case, each well under 50 ms median. Baselines measured in the same run: parsing the
same files with tomllib alone (what loading costs over reading), and one evaluation of the bundled
checklists' real case.

    python -m benchmarks.checklists
"""

from __future__ import annotations

import platform
import statistics
import time
import tomllib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from duediligence.adapters.checklists_toml import checklist_files, load_library
from duediligence.domain.answers import Money
from duediligence.domain.checklist import Checklist
from duediligence.domain.evaluation import CaseSnapshot, ChecklistRun, evaluate


def median_ms(work: Callable[[], object], repeat: int) -> float:
    """Median wall time of `work` in milliseconds, after one warm-up call."""
    work()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic_checklist(questions: int) -> tuple[Checklist, dict[str, Any]]:
    """A checklist shaped like the real ones: branching, rules, several types; and its answers."""
    sections = []
    answers: dict[str, Any] = {}
    per_section = 10
    for s in range(questions // per_section):
        items = []
        for i in range(per_section):
            n = s * per_section + i
            qid = f"q{n}"
            question: dict[str, Any] = {
                "id": qid,
                "text": f"Question {n}?",
                "guidance": "What to look for.",
                "citations": ["MLR reg 28(2)"],
            }
            kind = n % 5
            if kind == 0:
                question.update(type="yesno")
                question["rule"] = [
                    {"when": {"equals": True}, "effects": [{"kind": "risk_points", "points": 1}]}
                ]
                answers[qid] = n % 2 == 0
            elif kind == 1:
                question.update(
                    type="choice",
                    options=[{"value": v, "label": v.title()} for v in ("low", "mid", "high")],
                    show_when={"question": f"q{n - 1}", "equals": True},
                )
                question["rule"] = [
                    {
                        "when": {"in": ["high"]},
                        "effects": [
                            {"kind": "rating_floor", "rating": "medium", "reason": "r"},
                            {"kind": "require_approval", "role": "supervisor", "reason": "r"},
                        ],
                    }
                ]
                answers[qid] = "high" if n % 3 == 0 else "low"
            elif kind == 2:
                question.update(
                    type="multi",
                    options=[{"value": f"o{k}", "label": f"O{k}"} for k in range(6)],
                )
                question["rule"] = [
                    {
                        "when": {"contains_any": ["o1", "o4"]},
                        "effects": [{"kind": "risk_points", "points": 2}],
                    }
                ]
                answers[qid] = ("o1", "o2")
            elif kind == 3:
                question.update(type="money")
                question["rule"] = [
                    {
                        "when": {"gte": {"amount": 1000000, "currency": "GBP"}},
                        "effects": [{"kind": "block_gate", "gates": ["G2"], "reason": "r"}],
                    }
                ]
                answers[qid] = Money(amount=Decimal(n * 10000), currency="GBP")
            else:
                question.update(type="text", min_length=20)
                answers[qid] = "An explanation long enough to count."
            items.append(question)
        sections.append({"id": f"s{s}", "title": f"Section {s}", "question": items})
    checklist = Checklist.model_validate(
        {
            "id": "synthetic",
            "title": "Synthetic",
            "version": "1.0",
            "policy_ref": "P",
            "applies_to": {"firm_roles": ["solicitor"]},
            "section": sections,
        }
    )
    return checklist, answers


def main() -> None:
    files = checklist_files()
    library = load_library()
    total_questions = sum(sum(1 for _ in c.questions()) for c in library.checklists.values())

    parse_only = median_ms(lambda: [tomllib.loads(f.read_text("utf-8")) for f in files], 50)
    load = median_ms(load_library, 50)

    checklist, answers = synthetic_checklist(300)
    snapshot = CaseSnapshot(
        checklists={checklist.id: checklist},
        runs=(ChecklistRun(id="r", checklist_id=checklist.id, answers=answers),),
    )
    result = evaluate(snapshot)
    evaluation = median_ms(lambda: evaluate(snapshot), 100)

    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.node()}"
    )
    print(
        f"bundled: {len(files)} files, {len(library.checklists)} checklists, "
        f"{total_questions} questions"
    )
    print(f"tomllib parse only (baseline)      median {parse_only:7.2f} ms")
    print(
        f"load + validate all bundled         median {load:7.2f} ms   "
        f"ratio to parse {load / parse_only:5.1f}x   target < 50 ms"
    )
    print(
        f"evaluate 300-question case          median {evaluation:7.2f} ms   target < 50 ms "
        f"({len(result.visible['r'])} visible, score {result.score})"
    )


if __name__ == "__main__":
    main()
