"""`checklists lint` on a checklist with many unknown keys: the time must grow linearly.

Target (issue 11): linting was quadratic in the number of problems (20,000 unknown keys took
146 s), because each problem's line was found by scanning every line of the file. Measured here:
the median time of `lint` on one file with N unknown keys at the top level and N inside one
question, for N = 2,000 and 20,000, and the ratio of the two (about 10 when linear, about 100
when quadratic).

    python -m benchmarks.lint_unknown_keys [REPEAT]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from duediligence.adapters.checklists_toml import lint


def checklist_with_unknown_keys(count: int) -> str:
    """A small valid checklist plus `count` unknown keys at the top and `count` in a question."""
    top = "".join(f"unknown_top_{n} = {n}\n" for n in range(count))
    inner = "".join(f"unknown_inner_{n} = {n}\n" for n in range(count))
    return (
        'id = "many-unknown-keys"\ntitle = "Benchmark"\nversion = "1.0"\npolicy_ref = "PCP 1"\n'
        'applies_to = { firm_roles = ["solicitor"] }\n'
        f"{top}\n"
        '[[section]]\nid = "client"\ntitle = "The client"\n\n'
        '[[section.question]]\nid = "pep"\ntext = "Is the client a PEP?"\n'
        'guidance = "Check the screening results."\ncitations = ["MLR reg 35(1)"]\n'
        'type = "yesno"\n'
        f"{inner}"
    )


def median_seconds(path: Path, repeat: int, expected: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        problems = lint([path])
        times.append(time.perf_counter() - start)
        assert len(problems) == expected, len(problems)
    return statistics.median(times)


def main(repeat: int = 3) -> None:
    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for count in (2_000, 20_000):
            path = Path(folder) / f"unknown-{count}.toml"
            path.write_text(checklist_with_unknown_keys(count), encoding="utf-8")
            results[count] = median_seconds(path, repeat, 2 * count)
            print(f"{2 * count:>6} unknown keys: median {results[count]:.3f} s over {repeat} runs")
    ratio = results[20_000] / results[2_000]
    print(f"ratio 20,000 / 2,000: {ratio:.1f} (10 is linear, 100 quadratic)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
