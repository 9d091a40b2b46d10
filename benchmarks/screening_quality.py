"""Screening quality on the evaluation data in tests/data/screening (run: python -m benchmarks.screening_quality).

1. name pairs (name-pairs/dev.csv): precision / recall / F1 at our review threshold, beside the
   same figures for the file's logic-v2 scores at 0.70, and any STRONG-quality pair we get wrong;
2. recall of people/positives_un_untreated.csv against the UN list (review band or above);
3. false-alert rate of people/negatives_global.csv against UN + OFAC together;
4. cross-script pairs (name-pairs/cross_script.csv, from make_cross_script.py beside it): share of
   the matches found at the review threshold and share of the non-matches wrongly found, per script.

Where OpenSanctions' logic-v2 is installed (nomenklatura in its own environment, .venv-logicv2/ or
DUEDILIGENCE_LOGICV2_PYTHON: see logicv2_scores.py), it scores the same pairs in the same run and
its figures are printed beside ours, per set, at its own threshold 0.70.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from duediligence.screening.importers import import_list
from duediligence.screening.index import ScreeningIndex
from duediligence.screening.model import Kind, Query
from duediligence.screening.normalise import ALGORITHM_VERSION
from duediligence.screening.scoring import REVIEW_THRESHOLD, compare_names

# The real lists and evaluation sets, copied into the repository (tests/data/screening/README.md).
DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "screening"


LOGICV2_SCRIPT = Path(__file__).with_name("logicv2_scores.py")
LOGICV2_THRESHOLD = 0.70
"""logic-v2's own match threshold (yente's default)."""


def logicv2(pairs: list[tuple[str, str, str]]) -> tuple[str, list[float]] | None:
    """logic-v2's scores for (schema, name1, name2) pairs and nomenklatura's version, or None
    when it is not installed here."""
    python = os.environ.get("DUEDILIGENCE_LOGICV2_PYTHON")
    if python is None:
        local = DATA.parents[2] / ".venv-logicv2" / "bin" / "python"
        python = str(local) if local.exists() else None
    if python is None:
        return None
    done = subprocess.run(
        [python, str(LOGICV2_SCRIPT)],
        input="".join(json.dumps(pair) + "\n" for pair in pairs),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) != len(pairs) + 1:
        print(f"  logic-v2 did not run: {(done.stderr.strip().splitlines() or ['?'])[-1]}")
        return None
    return json.loads(lines[0])["nomenklatura"], [float(json.loads(line)) for line in lines[1:]]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def people_query(row: dict[str, str]) -> Query:
    """A person query from a people/*.csv row."""
    name = row["full_name"].strip() or " ".join(
        p for p in (row["first_name"], row["middle_name"], row["last_name"]) if p
    )
    return Query(
        name=name,
        kind=Kind.PERSON,
        date_of_birth=row["date_of_birth"] or None,
        nationality=row["nationality"] or None,
        gender=row["gender"] or None,
    )


def pairs() -> dict[str, float]:
    """Precision / recall / F1 on the labelled pairs, ours and logic-v2's."""
    ours = [0, 0, 0]
    theirs = [0, 0, 0]
    strong_wrong: list[str] = []
    with (DATA / "name-pairs" / "dev.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["is_match"] in ("true", "false")]
    for row in rows:
        gold = row["is_match"] == "true"
        entity = row["schema"] != "Person"
        predicted = (
            compare_names(row["name1"], row["name2"], entity).final_score >= REVIEW_THRESHOLD
        )
        for counts, guess in ((ours, predicted),) + (
            ((theirs, float(row["logicv2_score"]) >= 0.70),) if row["logicv2_score"] else ()
        ):
            counts[0] += guess and gold
            counts[1] += guess and not gold
            counts[2] += (not guess) and gold
        if predicted != gold and row["quality"] == "STRONG":
            strong_wrong.append(f"{row['name1']} / {row['name2']}")
    live = logicv2([(row["schema"], row["name1"], row["name2"]) for row in rows])
    live_line = "  logic-v2 not installed here (benchmarks/logicv2_scores.py says how)"
    if live is not None:
        counts = [0, 0, 0]
        for row, score in zip(rows, live[1], strict=True):
            gold, guess = row["is_match"] == "true", score >= LOGICV2_THRESHOLD
            counts[0] += guess and gold
            counts[1] += guess and not gold
            counts[2] += (not guess) and gold
        vp, vr, vf = _prf(*counts)
        live_line = (
            f"  {'logic-v2':10} {vp:9.3f} {vr:7.3f} {vf:6.3f}   "
            f"(run now: nomenklatura {live[0]}, >= {LOGICV2_THRESHOLD}, all rows)"
        )
    p, r, f = _prf(*ours)
    lp, lr, lf = _prf(*theirs)
    print(f"name pairs (n={len(rows)}), at our review threshold {REVIEW_THRESHOLD}:")
    print(f"  {'':10} {'precision':>9} {'recall':>7} {'F1':>6}")
    print(f"  {'ours':10} {p:9.3f} {r:7.3f} {f:6.3f}")
    print(live_line)
    print(
        f"  {'frozen':10} {lp:9.3f} {lr:7.3f} {lf:6.3f}   (the file's logicv2_score >= 0.70, "
        "rows that have one)"
    )
    print(f"  STRONG-quality pairs wrong: {len(strong_wrong)} {strong_wrong}")
    return {"pairs_f1": f, "strong_wrong": len(strong_wrong)}


def cross_script(verbose: bool = False) -> dict[str, float]:
    """Recall and false matches on the cross-script pairs, overall and per script."""
    with (DATA / "name-pairs" / "cross_script.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_script: dict[str, list[int]] = {}  # script -> [found, matches, false, non-matches]
    theirs: dict[str, list[int]] = {}  # the same for logic-v2
    live = logicv2([("Person", row["name1"], row["name2"]) for row in rows])
    misses: list[str] = []
    for number, row in enumerate(rows):
        if live is not None:
            found_v2 = int(live[1][number] >= LOGICV2_THRESHOLD)
            counts_v2 = theirs.setdefault(f"{row['set']}/{row['script']}", [0, 0, 0, 0])
            match = row["is_match"] == "true"
            counts_v2[0 if match else 2] += found_v2
            counts_v2[1 if match else 3] += 1
        score = compare_names(row["name1"], row["name2"]).final_score
        found = int(score >= REVIEW_THRESHOLD)
        counts = by_script.setdefault(f"{row['set']}/{row['script']}", [0, 0, 0, 0])
        if row["is_match"] == "true":
            counts[0] += found
            counts[1] += 1
            if not found:
                misses.append(f"{row['name1']} / {row['name2']} ({score:.2f})")
        else:
            counts[2] += found
            counts[3] += 1
            if found:
                misses.append(f"FALSE {row['name1']} / {row['name2']} ({score:.2f})")
    version = f" and logic-v2 (nomenklatura {live[0]}) at {LOGICV2_THRESHOLD}" if live else ""
    print(f"cross-script pairs, at our review threshold{version}:")
    print(
        f"  {'set/script':20} {'found':>11} {'false matches':>14}"
        + (f"   {'logic-v2 found':>16} {'false':>9}" if live else "")
    )
    for script, (hits, matches, false, non) in sorted(by_script.items()):
        line = f"  {script:20} {hits:4}/{matches:<4} {hits / max(matches, 1):5.0%}   {false:4}/{non:<4}"
        if live:
            v_hits, _, v_false, _ = theirs[script]
            line += (
                f"   {v_hits:4}/{matches:<4} {v_hits / max(matches, 1):5.0%}   {v_false:4}/{non:<4}"
            )
        print(line)
    found = sum(c[0] for c in by_script.values())
    matches = sum(c[1] for c in by_script.values())
    false = sum(c[2] for c in by_script.values())
    non = sum(c[3] for c in by_script.values())
    line = f"  {'all':20} {found:4}/{matches:<4} {found / matches:5.0%}   {false:4}/{non:<4}"
    if live:
        v_found = sum(c[0] for c in theirs.values())
        v_false = sum(c[2] for c in theirs.values())
        line += f"   {v_found:4}/{matches:<4} {v_found / matches:5.0%}   {v_false:4}/{non:<4}"
    print(line)
    for miss in misses if verbose else misses[:40]:
        print(f"  {miss}")
    return {"cross_recall": found / matches, "cross_false": false / max(non, 1)}


def lists(negatives_limit: int | None = None) -> dict[str, float]:
    """UN positives recall and the negatives' false-alert rate against UN + OFAC."""
    un = import_list("un-xml", DATA / "lists" / "un" / "UN_consolidated.xml")
    ofac = import_list("ofac-csv", DATA / "lists" / "ofac")
    un_index = ScreeningIndex([un])
    both = ScreeningIndex([un, ofac])
    with (DATA / "people" / "positives_un_untreated.csv").open(encoding="utf-8") as handle:
        positives = list(csv.DictReader(handle))
    missed = []
    for row in positives:
        score, _ = un_index.top_score(people_query(row))
        if score < REVIEW_THRESHOLD:
            missed.append(row["full_name"])
    recall = 1 - len(missed) / len(positives)
    print(f"UN positives: recall {recall:.4f} ({len(positives) - len(missed)}/{len(positives)})")
    print(f"  missed: {missed}")
    with (DATA / "people" / "negatives_global.csv").open(encoding="utf-8") as handle:
        negatives = list(csv.DictReader(handle))[:negatives_limit]
    started = time.perf_counter()
    alerts = []
    for row in negatives:
        score, hit = both.top_score(people_query(row))
        if score >= REVIEW_THRESHOLD and hit is not None:
            alerts.append(f"{row['full_name']} -> {hit.explanation.matched_name} ({score:.2f})")
    rate = len(alerts) / len(negatives)
    print(
        f"negatives: false-alert rate {rate:.4%} ({len(alerts)}/{len(negatives)}) against UN + OFAC, "
        f"{time.perf_counter() - started:.1f} s"
    )
    for alert in alerts[:10]:
        print(f"  {alert}")
    return {"un_recall": recall, "false_alert_rate": rate}


def main() -> None:
    """Run every quality figure and print the summary table."""
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    print(f"algorithm {ALGORITHM_VERSION}")
    figures = pairs() | cross_script() | lists(limit)
    print("\nsummary            measured   target")
    print(f"  pairs F1         {figures['pairs_f1']:8.3f}   >= 0.88 (issue 17)")
    print(f"  STRONG wrong     {figures['strong_wrong']:8.0f}   0")
    print(f"  cross-script     {figures['cross_recall']:8.3f}   >= 0.90")
    print(f"  cross false      {figures['cross_false']:8.3f}")
    print(f"  UN recall        {figures['un_recall']:8.4f}   >= 0.995")
    print(f"  false alerts     {figures['false_alert_rate']:8.4%}   <= 0.1% (issue 17)")


if __name__ == "__main__":
    main()
