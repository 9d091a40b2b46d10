"""The `match` and `screen` commands, the `lists` of the case file and `screening` in a case.

`screen` uses the newest stored snapshot of each list (`duediligence lists import`); repeatable
`--list FORMAT:PATH` options (formats: uksl-csv, un-xml, ofac-csv, pep-csv, ftm-json) override
them with files read on the spot. Every user mistake ends in a one-line message and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from duediligence.adapters.locations import StoreLocation, default_store_path, local_path
from duediligence.cli.cases import Context, common, given_store
from duediligence.cli.params import PATH_SPEC, STORE
from duediligence.cli.proof import passphrase_file_option, signing_key
from duediligence.compose import open_casefile
from duediligence.domain.answers import read_date
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.paths import NotARegularFile, exists, read_regular_file, shown
from duediligence.domain.screening_records import Outcome, ReasonCode
from duediligence.screening.importers import IMPORTERS, ListFormatError, import_list
from duediligence.screening.index import ScreeningIndex
from duediligence.screening.model import Explanation, Kind, ScreeningResult
from duediligence.screening.query import InvalidQuery, checked_query
from duediligence.screening.scoring import compare_names
from duediligence.services.proof import NO_KEY
from duediligence.services.screening import (
    HitView,
    Progress,
    RescreenResult,
    ScreeningService,
    SnapshotStatus,
)

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


CSV_MAX_BYTES = 200 * 1024 * 1024
"""The largest --batch or --pairs file read (a million rows is well under it)."""


def _read_csv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        # Read whole and checked first: a FIFO or a device would block or never end.
        data = read_regular_file(path, CSV_MAX_BYTES)
    except NotARegularFile as error:
        raise click.ClickException(f"{error}") from None
    except OSError as error:
        raise click.ClickException(f"{shown(path)}: cannot be read ({error.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(
                f"{path.name}: column {missing[0]!r} missing (needs {', '.join(required)})"
            )
        for row in reader:
            # DictReader fills a short row with None and files a long one's extra cells under
            # None: either is a broken file, not a row to guess at.
            if None in row.values() or None in row:
                raise click.ClickException(
                    f"{shown(path)}, line {reader.line_num}: {len(reader.fieldnames or [])} "
                    "columns expected as in the header"
                )
            yield row
    except (csv.Error, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path.name}: not a readable CSV file ({error})") from None


def _case_file(store: StoreLocation | None) -> Path:
    from duediligence.config import load_settings

    try:
        return local_path(load_settings(store=given_store(store)).store or default_store_path())
    except DueDiligenceError as error:
        raise click.ClickException(str(error)) from None


def _check_output(path: Path, store: Path | None, force: bool) -> None:
    """Refuse a results path before any work is done (see `output_problem`)."""
    from duediligence.domain.paths import output_problem

    problem = output_problem(path, store=_case_file(store), force=force)
    if problem is not None:
        raise click.ClickException(problem)


@contextmanager
def _open_output(path: Path, store: Path | None, force: bool) -> Iterator[TextIO]:
    """A results CSV written atomically (see `atomic_output`): a failure half way leaves what
    was at `path` untouched; never the case file or anything it keeps."""
    from duediligence.domain.paths import atomic_output

    case_file = _case_file(store)
    try:
        with atomic_output(path, store=case_file, force=force) as raw:
            handle = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                yield handle
                handle.flush()
            finally:
                handle.detach()  # the raw file is atomic_output's to close or remove
    except DueDiligenceError as error:
        raise click.ClickException(str(error)) from None


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
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def match(
    names: tuple[str, ...],
    kind: str,
    pairs: Path | None,
    output: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """Score how well NAME1 matches NAME2, with the token-by-token explanation."""
    if pairs is not None:
        if names:
            raise click.UsageError("give either two names or --pairs, not both")
        if output is None:
            raise click.UsageError("--pairs needs --output")
        _check_output(output, None, force)
        _match_pairs(pairs, output, force, as_json)
        return
    if len(names) != 2:
        raise click.UsageError("give exactly two names (or --pairs FILE --output FILE)")
    explanation = compare_names(names[0], names[1], entity=kind == Kind.ENTITY.value)
    if as_json:
        click.echo(explanation.model_dump_json(indent=2))
    else:
        click.echo(_describe(explanation))


def _match_pairs(pairs: Path, output: Path, force: bool, as_json: bool) -> None:
    count = 0
    rows = list(_read_csv(pairs, ("schema", "name1", "name2")))
    with _open_output(output, None, force) as handle:
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


def _load_index(lists: tuple[str, ...], store: Path | None) -> ScreeningIndex:
    if not lists:
        return _stored_index(store)
    from duediligence.config import load_settings

    try:
        max_bytes = load_settings(store=given_store(store)).list_max_mb * 1024 * 1024
    except DueDiligenceError as error:
        raise click.ClickException(str(error)) from None
    snapshots = []
    for spec in lists:
        list_format, _, path = spec.partition(":")
        if not path or list_format not in IMPORTERS:
            raise click.UsageError(
                f"--list {spec!r}: expected FORMAT:PATH with FORMAT one of {', '.join(IMPORTERS)}"
            )
        try:
            snapshots.append(import_list(list_format, Path(path), max_bytes))
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
    type=PATH_SPEC,
    metavar="FORMAT:PATH",
    help="A list file to screen against instead of the stored lists (repeatable).",
)
@click.option(
    "--store",
    type=STORE,
    envvar="DUEDILIGENCE_STORE",
    help="Case file whose imported lists to use (default: settings, then the data directory).",
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
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print hits and explanations as JSON.")
def screen(
    name: str | None,
    dob: str | None,
    nationality: str | None,
    gender: str | None,
    kind: str | None,
    lists: tuple[str, ...],
    store: Path | None,
    batch: Path | None,
    output: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    """Screen NAME (or a --batch file) against sanctions and PEP lists."""
    if batch is not None:
        if name:
            raise click.UsageError("give either NAME or --batch, not both")
        if output is None:
            raise click.UsageError("--batch needs --output")
        _check_output(output, store, force)
        rows = _batch_rows(batch)
        index = _load_index(lists, store)
        _screen_batch(index, rows, output, store, force, as_json)
        return
    if not name:
        raise click.UsageError("give a NAME to screen (or --batch FILE --output FILE)")
    try:
        query = checked_query(
            name,
            kind=Kind(kind) if kind else None,
            date_of_birth=dob,
            nationality=nationality,
            gender=gender,
        )
    except InvalidQuery as error:
        option = {"date_of_birth": "--dob"}.get(error.field, f"--{error.field}")
        raise click.ClickException(f"{option}: {error.message}") from None
    index = _load_index(lists, store)
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


def _batch_rows(batch: Path) -> list[dict[str, str]]:
    """The batch's rows, each checked before anything is screened or written (row 1 is the
    header, as a spreadsheet numbers them)."""
    rows = list(_read_csv(batch, ("full_name",)))
    for number, row in enumerate(rows, start=2):
        try:
            checked_query(
                "-",
                date_of_birth=row.get("date_of_birth"),
                nationality=row.get("nationality"),
                gender=row.get("gender"),
            )
        except InvalidQuery as error:
            raise click.ClickException(f"{batch.name}: row {number}: {error}") from None
    return rows


def _screen_batch(
    index: ScreeningIndex,
    rows: list[dict[str, str]],
    output: Path,
    store: Path | None,
    force: bool,
    as_json: bool,
) -> None:
    counts = {"rows": 0, "review": 0, "strong": 0}
    with _open_output(output, store, force) as handle:
        writer = csv.writer(handle)
        writer.writerow([*PEOPLE_COLUMNS, "top_score", "band", "list", "entry_id", "matched_name"])
        for row in rows:
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
            query = checked_query(
                full,
                kind=Kind.PERSON,
                date_of_birth=row.get("date_of_birth"),
                nationality=row.get("nationality"),
                gender=row.get("gender"),
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


# ----------------------------------------------------------------------------------------------
# Stored lists and screening in the case file


def _stored_index(store: Path | None) -> ScreeningIndex:
    """The index over the newest stored snapshot of each list (warnings on stderr)."""
    from duediligence.adapters.locations import default_store_path
    from duediligence.config import load_settings
    from duediligence.domain.library import ChecklistLibrary

    try:
        settings = load_settings(store=given_store(store))
    except DueDiligenceError as error:
        raise click.ClickException(str(error)) from None
    path = settings.store if settings.store is not None else default_store_path()
    if isinstance(path, Path) and not exists(path):
        raise click.UsageError(
            f"there is no case file at {path}, so no stored lists: run `duediligence lists "
            f"import` or give --list FORMAT:PATH (formats: {', '.join(IMPORTERS)})"
        )
    try:
        # The one case-file assembly; screening a name needs no checklists.
        with open_casefile(
            path, settings=settings, library=ChecklistLibrary(checklists={})
        ) as opened:
            service = opened.screening()
            index, records = service.index()
            if not records:
                raise click.UsageError(
                    "no list has been imported: run `duediligence lists import PATH --format "
                    f"FORMAT` or give --list FORMAT:PATH (formats: {', '.join(IMPORTERS)})"
                )
            for warning in service.list_warnings():
                click.echo(f"warning: {warning}", err=True)
            return index
    except DueDiligenceError as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def _service(ctx: Context) -> Iterator[ScreeningService]:
    # The case file's own screening service: its re-screens and dispositions keep the matters
    # list current.
    with ctx.opened() as opened:
        yield opened.screening()


def _snapshot_data(status: SnapshotStatus) -> dict[str, Any]:
    record = status.record
    return {
        "id": record.id,
        "snapshot": record.label,
        "source": record.source,
        "list_kind": record.list_kind.value,
        "published": record.published.isoformat() if record.published else None,
        "sha256": record.sha256,
        "files": list(record.files),
        "imported_at": record.imported_at.isoformat(),
        "imported_by": record.imported_by,
        "counts": record.counts,
        "age_days": status.age_days,
        "stale": status.stale,
        "current": status.current,
        "shrink_reason": record.shrink_reason,
    }


def _snapshot_line(status: SnapshotStatus) -> str:
    record = status.record
    counts = record.counts
    published = record.published.isoformat() if record.published else "undated"
    marks = []
    if status.current:
        marks.append("in use")
    if status.stale:
        marks.append("STALE")
    return (
        f"{record.source:9} {published:10} {status.age_days:4} days  "
        f"{counts.get('person', 0)} persons, {counts.get('entity', 0)} entities, "
        f"{counts.get('names', 0)} names  sha256 {record.sha256[:12]}  "
        f"imported {record.imported_at:%Y-%m-%d %H:%M} by {record.imported_by}"
        + (f"  [{', '.join(marks)}]" if marks else "")
        + (
            f"\n          accepted although much shorter: {record.shrink_reason}"
            if record.shrink_reason
            else ""
        )
    )


@click.group(invoke_without_command=True)
@common
def lists(ctx: Context) -> None:
    """The imported sanctions and PEP list snapshots: `lists` shows them, with their age."""
    if click.get_current_context().invoked_subcommand is not None:
        return
    with _service(ctx) as service:
        statuses = service.snapshots()
        warnings = service.list_warnings()
        pending = service.rescreen_pending()
    data = {
        "snapshots": [_snapshot_data(s) for s in statuses],
        "warnings": warnings,
        "rescreen_pending": pending,
    }

    def text() -> str:
        if not statuses:
            return "No list has been imported (duediligence lists import PATH --format FORMAT)."
        lines = [_snapshot_line(s) for s in statuses]
        lines.extend(f"warning: {w}" for w in warnings)
        if pending:
            lines.append(_pending_line(pending))
        return "\n".join(lines)

    ctx.emit(data, text)


@lists.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "list_format",
    type=click.Choice(list(IMPORTERS)),
    required=True,
    help="The list's file format.",
)
@click.option(
    "--no-rescreen", is_flag=True, help="Do not re-screen the open matters against it now."
)
@click.option(
    "--confirm-shrink",
    is_flag=True,
    help="Accept a list with no entries, or far fewer than the one in use (needs --reason).",
)
@click.option("--reason", help="Why the much shorter list is right (with --confirm-shrink).")
@click.option(
    "--published",
    help="The list's publication date (YYYY-MM-DD), where the file states none (OFAC's CSV "
    "trio: otherwise the newest date written in it) or states it wrongly.",
)
@passphrase_file_option("the firm key's passphrase (the import is checkpointed)")
@common
def lists_import(
    ctx: Context,
    path: Path,
    list_format: str,
    no_rescreen: bool,
    confirm_shrink: bool,
    reason: str | None,
    published: str | None,
    passphrase_file: Path | None,
) -> None:
    """Import a list file as one snapshot, then re-screen every open matter against it (the
    MLRO or a senior manager only); signs a checkpoint when the firm has a key."""
    if confirm_shrink and reason is None:
        raise DueDiligenceError("--confirm-shrink needs --reason TEXT: say why the list is right")
    if reason is not None and not confirm_shrink:
        raise DueDiligenceError("--reason goes with --confirm-shrink")
    published_on = read_date("--published", published) if published is not None else None
    with ctx.opened() as opened:
        service = opened.screening()
        key = signing_key(opened.casefile, passphrase_file, "list import")
        result = service.import_list(
            ctx.actor(),
            path,
            list_format,
            confirm_shrink=reason if confirm_shrink else None,
            published=published_on,
        )
        rescreen = None
        if result.new and not no_rescreen:
            rescreen = service.rescreen_open_cases(ctx.actor(), _progress(ctx))
        elif not no_rescreen and service.rescreen_pending():
            # An earlier import was killed mid-way through its re-screen: finish it now.
            rescreen = _resume(ctx, service)
        statuses = {s.record.id: s for s in service.snapshots()}
        signed = None
        if key is not None and (result.new or rescreen is not None):
            signed = opened.casefile.proof.checkpoint_with(ctx.actor(), key, "list import")
    status = statuses[result.snapshot.id]
    checkpoint_line = (
        f"Checkpoint signed at event #{signed.sequence}."
        if signed is not None
        else (NO_KEY[0].upper() + NO_KEY[1:] + "." if key is None and result.new else None)
    )
    data = {
        "snapshot": _snapshot_data(status),
        "checkpoint": signed.sequence if signed is not None else None,
        "new": result.new,
        "rescreened": None if rescreen is None else _rescreen_data(rescreen),
        "new_hits": [] if rescreen is None else _new_hits_data(rescreen),
    }

    def text() -> str:
        record = result.snapshot
        if not result.new and rescreen is None:
            return f"{path} was already imported as {record.label}; nothing was written."
        lines = (
            [f"Imported {record.label}: {_snapshot_line(status)}"]
            if result.new
            else [f"{path} was already imported as {record.label}; finished the pending re-screen."]
        )
        if rescreen is not None:
            lines.extend(_rescreen_lines(rescreen))
        if status.stale:
            lines.append(f"warning: this list is {status.age_days} days old")
        if checkpoint_line:
            lines.append(checkpoint_line)
        return "\n".join(lines)

    ctx.emit(data, text)


@lists.command("rescreen")
@common
def lists_rescreen(ctx: Context) -> None:
    """Finish a re-screen left pending: screen the open matters not yet screened against the
    current lists (an import was interrupted, or ran with --no-rescreen)."""
    with _service(ctx) as service:
        done = _resume(ctx, service) if service.rescreen_pending() else None
    data = {
        "rescreened": None if done is None else _rescreen_data(done),
        "new_hits": [] if done is None else _new_hits_data(done),
    }
    ctx.emit(
        data,
        lambda: (
            "No re-screen is pending: every open matter is screened against the current lists."
            if done is None
            else "\n".join(_rescreen_lines(done))
        ),
    )


def _rescreen_data(done: RescreenResult) -> dict[str, int]:
    return {"cases": done.cases, "parties": done.parties, "open_hits": done.open_hits}


def _new_hits_data(done: RescreenResult) -> list[dict[str, Any]]:
    """The open hits the reviewers have not seen as they are now."""
    return [
        {
            "case": hit.reference,
            "party": hit.party,
            "list": hit.key,
            "name": hit.name,
            "score": hit.score,
            "why": hit.why,
        }
        for hit in done.new_hits
    ]


def _rescreen_lines(done: RescreenResult) -> list[str]:
    """The summary, then only the hits the reviewers have not seen as they are now."""
    lines = [
        f"Re-screened {done.parties} parties in {done.cases} open cases: "
        f"{done.open_hits} hits to review, {len(done.new_hits)} of them new or changed."
    ]
    lines.extend(
        f"  {hit.reference}  {hit.party}: {hit.key} {hit.name} ({hit.score:.2f}, {hit.why})"
        for hit in done.new_hits
    )
    return lines


def _resume(ctx: Context, service: ScreeningService) -> RescreenResult:
    return service.rescreen_open_cases(ctx.actor(), _progress(ctx), pending_only=True)


def _pending_line(pending: list[str]) -> str:
    shown = ", ".join(pending[:5]) + (f" and {len(pending) - 5} more" if len(pending) > 5 else "")
    return (
        f"re-screen pending: {len(pending)} open matter(s) not screened against the current "
        f"lists ({shown}); run `duediligence lists rescreen`"
    )


def _progress(ctx: Context) -> Progress | None:
    if ctx.as_json:
        return None

    def report(done: int, total: int, reference: str) -> None:
        click.echo(f"\rre-screening {done}/{total} ({reference})", err=True, nl=done == total)

    return report


@click.group()
def screening() -> None:
    """Screening of a case's parties: run it, see the hits, record decisions."""


@screening.command("run")
@click.argument("reference")
@common
def screening_run(ctx: Context, reference: str) -> None:
    """Screen every party of a case now against the newest lists."""
    with _service(ctx) as service:
        done = service.screen_case(ctx.actor(), reference)
        views = service.hits(reference)
        warnings = service.list_warnings()
        pending = service.rescreen_pending()
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if pending:
        click.echo(f"warning: {_pending_line(pending)}", err=True)
    data = {
        "reference": reference,
        "screenings": [s.payload() for s in done],
        "hits": [_hit_data(v) for v in views],
    }
    ctx.emit(
        data,
        lambda: f"Screened {len(done)} parties of {reference}.\n" + _hits_text(views),
    )


@screening.command("hits")
@click.argument("reference")
@common
def screening_hits(ctx: Context, reference: str) -> None:
    """The hits of each party's latest screening, with their explanations and decisions."""
    with _service(ctx) as service:
        views = service.hits(reference)
    ctx.emit(
        {"reference": reference, "hits": [_hit_data(v) for v in views]}, lambda: _hits_text(views)
    )


@screening.command("dispose")
@click.argument("reference")
@click.argument("hit_id", metavar="HIT")
@click.option("--as-true-match", "true_match", is_flag=True, help="The hit is the party.")
@click.option("--false-positive", is_flag=True, help="The hit is not the party.")
@click.option(
    "--reason",
    type=click.Choice([c.value for c in ReasonCode]),
    required=True,
    help="Reason code.",
)
@click.option("--note", required=True, help="Why (what was compared).")
@common
def screening_dispose(
    ctx: Context,
    reference: str,
    hit_id: str,
    true_match: bool,
    false_positive: bool,
    reason: str,
    note: str,
) -> None:
    """Record a decision on one hit: --as-true-match or --false-positive, a reason and a note."""
    if true_match == false_positive:
        raise click.UsageError("give exactly one of --as-true-match and --false-positive")
    outcome = Outcome.TRUE_MATCH if true_match else Outcome.FALSE_POSITIVE
    with _service(ctx) as service:
        disposition = service.dispose(
            ctx.actor(), reference, hit_id, outcome, ReasonCode(reason), note
        )
    ctx.emit(
        disposition.payload(),
        f"Recorded {disposition.key} as a {outcome.value.replace('_', ' ')} "
        f"({disposition.reason.value}).",
    )


def _hit_data(view: HitView) -> dict[str, Any]:
    hit = view.hit
    return {
        "id": hit.id,
        "party": view.party.label,
        "party_name": view.party.name,
        "list": hit.key,
        "list_kind": hit.list_kind.value,
        "primary_name": hit.primary_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "band": hit.band,
        "status": view.status.value,
        "suppressed_by": hit.suppressed_by,
        "no_longer_listed": hit.no_longer_listed,
        "disposition": view.disposition.payload() if view.disposition else None,
        "screened_at": view.screening.screened_at.isoformat(),
        "explanation": json.loads(hit.explanation),
    }


def _hits_text(views: list[HitView]) -> str:
    if not views:
        return "No hits."
    lines = []
    for view in views:
        hit = view.hit
        decided = ""
        if view.disposition is not None:
            d = view.disposition
            decided = f"; {d.outcome.value} ({d.reason.value}) by {d.decided_by}: {d.note}"
        lines.append(
            f"{hit.id[:8]}  {view.party.label} {view.party.name!r} ~ {hit.key} "
            f"{hit.primary_name!r}  {hit.score:.3f} {hit.band}  [{view.status.value}{decided}]"
        )
        if hit.no_longer_listed is not None:
            lines.append(
                f"    its entry is not in the list now used ({hit.no_longer_listed}): kept open "
                "until someone decides it"
            )
        explanation = Explanation.model_validate_json(hit.explanation)
        lines.append(f"    matched {explanation.matched_name!r} ({explanation.matched_name_type})")
        lines.append("    " + _describe(explanation).replace("\n", "\n    "))
    return "\n".join(lines)
