"""The match and screen commands through click's CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from duediligence.cli.screening import match, screen

from .conftest import FIXTURES, OFAC_DIR, UN_XML


def test_match_prints_score_and_alignment() -> None:
    result = CliRunner().invoke(match, ["Toqaev", "Tokayev"])
    assert result.exit_code == 0
    assert "band strong" in result.output
    assert "equivalence-key" in result.output


def test_match_json_is_the_explanation() -> None:
    result = CliRunner().invoke(
        match, ["Siemens AG", "Siemens Aktiengesellschaft", "--kind", "entity", "--json"]
    )
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["final_score"] == 1.0
    assert payload["band"] == "strong"
    assert payload["algorithm_version"]


def test_match_pairs_writes_scores(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "schema,name1,name2\nPerson,Toqaev,Tokayev\nPerson,Barack Obama,Michelle Obama\n"
    )
    output = tmp_path / "out.csv"
    result = CliRunner().invoke(match, ["--pairs", str(pairs), "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(output.open()))
    assert [row["name1"] for row in rows] == ["Toqaev", "Barack Obama"]
    assert float(rows[0]["score"]) >= 0.9 > 0.7 > float(rows[1]["score"])


def test_match_errors_are_clean(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(match, ["--pairs", str(bad), "--output", str(tmp_path / "o.csv")])
    assert result.exit_code != 0
    assert "column 'schema' missing" in result.output
    assert "Traceback" not in result.output
    assert CliRunner().invoke(match, ["only one"]).exit_code == 2


def test_screen_name_against_lists_json() -> None:
    result = CliRunner().invoke(
        screen,
        [
            "Касым-Жомарт Токаев",
            "--dob",
            "1953-05-17",
            "--list",
            f"pep-csv:{FIXTURES / 'pep_sample.csv'}",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    top = payload["hits"][0]
    assert top["entry"]["id"] == "pep-1"
    assert top["band"] == "strong"
    assert top["explanation"]["qualifiers"][0]["detail"] == "match"


def test_screen_batch_writes_one_row_per_input(tmp_path: Path) -> None:
    source = FIXTURES / "people" / "positives_un_untreated.csv"
    batch = tmp_path / "batch.csv"
    with source.open(encoding="utf-8") as handle:
        batch.write_text("".join(handle.readlines()[:21]), encoding="utf-8")
    output = tmp_path / "results.csv"
    result = CliRunner().invoke(
        screen,
        [
            "--batch",
            str(batch),
            "--output",
            str(output),
            "--list",
            f"un-xml:{UN_XML}",
            "--list",
            f"ofac-csv:{OFAC_DIR}",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == 20
    assert {"top_score", "band", "list", "entry_id", "matched_name"} <= set(rows[0])
    assert sum(1 for row in rows if row["band"] != "no_alert") >= 19


def test_screen_reports_bad_lists_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "pep.csv"
    broken.write_text("name,dob\nA Person,31/02/1960\n")
    result = CliRunner().invoke(screen, ["A Person", "--list", f"pep-csv:{broken}"])
    assert result.exit_code == 1
    assert "pep.csv, row 2, field 'dob'" in result.output
    assert "Traceback" not in result.output
    assert CliRunner().invoke(screen, ["A Person"]).exit_code == 2
    assert CliRunner().invoke(screen, ["A Person", "--list", "nope"]).exit_code == 2
