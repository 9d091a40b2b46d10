"""The `match` and `screen` commands: compare two names, or screen names against list files.

Lists are given as repeatable `--list FORMAT:PATH` options (formats: uksl-csv, un-xml, ofac-csv,
pep-csv, ftm-json); when list storage arrives the option stays as an explicit override. Every
user mistake ends in a one-line message and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from duediligence.screening.importers import IMPORTERS, ListFormatError, import_list
from duediligence.screening.index import ScreeningIndex
from duediligence.screening.model import Explanation, Kind, Query, ScreeningResult
from duediligence.screening.scoring import compare_names

PEOPLE_COLUMNS = (
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "date_of_birth",
    "place_of_birth",
    "nationality",
)
KIND_CHOICE = click.Choice([kind.value for kind in Kind])


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise click.ClickException(
                    f"{path.name}: column {missing[0]!r} missing (needs {', '.join(required)})"
                )
            yield from reader
    except OSError as error:
        raise click.ClickException(f"{path}: cannot be read ({error.strerror})") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name}: not a readable CSV file ({error})") from None


def _open_output(path: Path) -> Any:
    try:
        return path.open("w", newline="", encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"{path}: cannot be written ({error.strerror})") from None


def _describe(explanation: Explanation) -> str:
    lines = [f"score {explanation.final_score:.3f}  band {explanation.band.value}"]
    for pair in explanation.alignment:
        lines.append(
            f"  {pair.query!r} ~ {pair.candidate!r}: {pair.method} {pair.score:.2f} "
            f"(weight {pair.weight:.2f})"
        )
    if explanation.unmatched_query:
        lines.append(f"  unmatched in the first name: {', '.join(explanation.unmatched_query)}")
    if explanation.unmatched_candidate:
        lines.append(f"  unmatched in the list name: {', '.join(explanation.unmatched_candidate)}")
    if explanation.legal_forms:
        lines.append(f"  {explanation.legal_forms}")
    for qualifier in explanation.qualifiers:
        lines.append(
            f"  {qualifier.feature}: {qualifier.query} vs {qualifier.candidate}: "
            f"{qualifier.detail} ({qualifier.effect:+.2f})"
        )
    return "\n".join(lines)


@click.command()
@click.argument("names", nargs=-1)
@click.option(
    "--kind",
    type=KIND_CHOICE,
    default=Kind.PERSON.value,
    show_default=True,
    help="Compare as person names or as entity names (legal forms handled).",
)
@click.option(
    "--pairs",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV with columns schema,name1,name2 to score in bulk.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where --pairs writes its results (input columns plus score).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def match(
    names: tuple[str, ...], kind: str, pairs: Path | None, output: Path | None, as_json: bool
) -> None:
    """Score how well NAME1 matches NAME2, with the token-by-token explanation."""
    if pairs is not None:
        if names:
            raise click.UsageError("give either two names or --pairs, not both")
        if output is None:
            raise click.UsageError("--pairs needs --output")
        _match_pairs(pairs, output, as_json)
        return
    if len(names) != 2:
        raise click.UsageError("give exactly two names (or --pairs FILE --output FILE)")
    explanation = compare_names(names[0], names[1], entity=kind == Kind.ENTITY.value)
    if as_json:
        click.echo(explanation.model_dump_json(indent=2))
    else:
        click.echo(_describe(explanation))


def _match_pairs(pairs: Path, output: Path, as_json: bool) -> None:
    count = 0
    rows = list(_read_csv(pairs, ("schema", "name1", "name2")))
    with _open_output(output) as handle:
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            entity = row["schema"].strip().casefold() not in {"person", ""}
            score = compare_names(row["name1"], row["name2"], entity=entity).final_score
            if writer is None:
                writer = csv.DictWriter(handle, fieldnames=[*row.keys(), "score"])
                writer.writeheader()
            writer.writerow({**row, "score": f"{score:.4f}"})
            count += 1
    message = {"pairs": count, "output": str(output)}
    click.echo(json.dumps(message) if as_json else f"scored {count} pairs into {output}")


def _load_index(lists: tuple[str, ...]) -> ScreeningIndex:
    if not lists:
        raise click.UsageError(
            f"give at least one --list FORMAT:PATH (formats: {', '.join(IMPORTERS)})"
        )
    snapshots = []
    for spec in lists:
        list_format, _, path = spec.partition(":")
        if not path or list_format not in IMPORTERS:
            raise click.UsageError(
                f"--list {spec!r}: expected FORMAT:PATH with FORMAT one of {', '.join(IMPORTERS)}"
            )
        try:
            snapshots.append(import_list(list_format, Path(path)))
        except ListFormatError as error:
            raise click.ClickException(f"cannot import {path}: {error}") from None
    return ScreeningIndex(snapshots)


def _result_json(result: ScreeningResult) -> str:
    return result.model_dump_json(indent=2)


@click.command()
@click.argument("name", required=False)
@click.option("--dob", help="Date of birth: yyyy, yyyy-mm or yyyy-mm-dd.")
@click.option("--nationality", help="ISO country code or country name.")
@click.option("--gender", help="male or female.")
@click.option("--kind", type=KIND_CHOICE, help="Screen only against persons or entities.")
@click.option(
    "--list",
    "lists",
    multiple=True,
    metavar="FORMAT:PATH",
    help="A list file to screen against (repeatable).",
)
@click.option(
    "--batch",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV of people (full_name, first_name, ..., nationality) to screen.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where --batch writes one result row per input row.",
)
@click.option("--json", "as_json", is_flag=True, help="Print hits and explanations as JSON.")
def screen(
    name: str | None,
    dob: str | None,
    nationality: str | None,
    gender: str | None,
    kind: str | None,
    lists: tuple[str, ...],
    batch: Path | None,
    output: Path | None,
    as_json: bool,
) -> None:
    """Screen NAME (or a --batch file) against sanctions and PEP lists."""
    if batch is not None:
        if name:
            raise click.UsageError("give either NAME or --batch, not both")
        if output is None:
            raise click.UsageError("--batch needs --output")
        index = _load_index(lists)
        _screen_batch(index, batch, output, as_json)
        return
    if not name:
        raise click.UsageError("give a NAME to screen (or --batch FILE --output FILE)")
    index = _load_index(lists)
    query = Query(
        name=name,
        kind=Kind(kind) if kind else None,
        date_of_birth=dob,
        nationality=nationality,
        gender=gender,
    )
    result = index.screen(query)
    if as_json:
        click.echo(_result_json(result))
        return
    if not result.hits:
        click.echo(f"no hits for {name!r} (lists: {', '.join(result.snapshot_ids)})")
        return
    for hit in result.hits:
        primary = hit.entry.names[0].text
        click.echo(f"{hit.source} {hit.entry.id} {primary!r} [{hit.entry.kind.value}]")
        click.echo(
            f"  matched {hit.explanation.matched_name!r} ({hit.explanation.matched_name_type})"
        )
        click.echo("  " + _describe(hit.explanation).replace("\n", "\n  "))


def _screen_batch(index: ScreeningIndex, batch: Path, output: Path, as_json: bool) -> None:
    counts = {"rows": 0, "review": 0, "strong": 0}
    with _open_output(output) as handle:
        writer = csv.writer(handle)
        writer.writerow([*PEOPLE_COLUMNS, "top_score", "band", "list", "entry_id", "matched_name"])
        for row in _read_csv(batch, ("full_name",)):
            full = row.get("full_name", "").strip() or " ".join(
                part
                for part in (
                    row.get(c, "").strip() for c in ("first_name", "middle_name", "last_name")
                )
                if part
            )
            values = [row.get(column, "") for column in PEOPLE_COLUMNS]
            counts["rows"] += 1
            if not full:
                writer.writerow([*values, "0.0000", "no_alert", "", "", ""])
                continue
            query = Query(
                name=full,
                kind=Kind.PERSON,
                date_of_birth=row.get("date_of_birth") or None,
                nationality=row.get("nationality") or None,
                gender=row.get("gender") or None,
            )
            result = index.screen(query, limit=1)
            if result.hits:
                hit = result.hits[0]
                if hit.band.value in counts:
                    counts[hit.band.value] += 1
                writer.writerow(
                    [
                        *values,
                        f"{hit.score:.4f}",
                        hit.band.value,
                        hit.source,
                        hit.entry.id,
                        hit.explanation.matched_name,
                    ]
                )
            else:
                writer.writerow([*values, "0.0000", "no_alert", "", "", ""])
    if as_json:
        click.echo(json.dumps({**counts, "output": str(output)}))
    else:
        click.echo(
            f"screened {counts['rows']} rows: {counts['strong']} strong, {counts['review']} "
            f"to review; results in {output}"
        )
