"""What saving one answer from the TUI costs on the example matter: SQL statements, evaluations of
the matter, answer parses and time (target: at most 20 statements, one case read, one evaluation).

Two paths on the same store, alternating a yes/no answer:
- `answer_and_read` (what the TUI's save calls now): the answer, any checklist it makes necessary
  and the matter as it then stands, in one transaction;
- the earlier sequence: `answer` (which evaluates once for the listing row), then `view` to read
  the matter again for the panels.

Statements are counted on the store's engine (`before_cursor_execute`), evaluations by wrapping
the read model's `evaluate`, parses by wrapping the case file's `parse_answer`.

    python -m benchmarks.answer_statements [SAMPLES]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from benchmarks.tui_answer import build
from duediligence.compose import open_casefile
from duediligence.domain.case import Actor
from duediligence.services import casefile as casefile_module
from duediligence.services import reading as reading_module
from duediligence.services.example import EXAMPLE_REFERENCE

ACTOR = Actor(user="alex", os_user="bench")
QUESTION = ("beneficial-ownership", "structure.complex")


class Counts:
    """Statements, evaluations and parses seen while counting."""

    def __init__(self) -> None:
        self.statements = self.evaluations = self.parses = 0


def _wrap(module: Any, name: str, counts: Counts, field: str) -> Callable[[], None]:
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        setattr(counts, field, getattr(counts, field) + 1)
        return original(*args, **kwargs)

    setattr(module, name, counted)
    return lambda: setattr(module, name, original)


def measure(samples: int) -> dict[str, tuple[float, float, float, float]]:
    results: dict[str, tuple[float, float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "bench.sqlite3"
        build(store_path)
        with open_casefile(store_path) as opened:
            casefile = opened.casefile
            engine = casefile.store.engine  # type: ignore[attr-defined]
            run_key, key = QUESTION

            def now_path(raw: str) -> None:
                casefile.answer_and_read(ACTOR, EXAMPLE_REFERENCE, key, raw, run_key=run_key)

            def earlier_path(raw: str) -> None:
                casefile.answer(ACTOR, EXAMPLE_REFERENCE, key, raw, run_key=run_key)
                casefile.view(EXAMPLE_REFERENCE)

            for title, path in (("answer_and_read", now_path), ("answer, then view", earlier_path)):
                counts = Counts()

                def on_statement(*_: object) -> None:
                    counts.statements += 1  # noqa: B023 - the counts of this series

                undo = [
                    _wrap(reading_module, "evaluate", counts, "evaluations"),
                    _wrap(casefile_module, "parse_answer", counts, "parses"),
                ]
                event.listen(engine, "before_cursor_execute", on_statement)
                times = []
                try:
                    for n in range(samples):
                        start = time.perf_counter()
                        path("yes" if n % 2 else "no")
                        times.append((time.perf_counter() - start) * 1000)
                finally:
                    event.remove(engine, "before_cursor_execute", on_statement)
                    for restore in undo:
                        restore()
                results[title] = (
                    counts.statements / samples,
                    counts.evaluations / samples,
                    counts.parses / samples,
                    statistics.median(times),
                )
    return results


def main(samples: int = 20) -> None:
    for title, (statements, evaluations, parses, ms) in measure(samples).items():
        print(
            f"{title}: {statements:.0f} SQL statements, {evaluations:.0f} evaluation(s), "
            f"{parses:.0f} parse(s) per answer; median {ms:.1f} ms (example matter, "
            f"{samples} answers)"
        )
    print("target: at most 20 statements, one evaluation")


if __name__ == "__main__":
    main(*[int(a) for a in sys.argv[1:]])
