"""`duediligence checklists ...`: lint, list, show and the JSON Schema of the checklist format."""

from __future__ import annotations

import json
from pathlib import Path

import click

from duediligence.adapters.checklists_toml import lint as lint_files
from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.checklist import Checklist
from duediligence.domain.describe import describe_condition, describe_effect
from duediligence.domain.errors import InvalidChecklist
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.schema import checklist_json_schema


@click.group()
def checklists() -> None:
    """Inspect and check the checklists."""


@checklists.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option(
    "--checklists",
    "context",
    multiple=True,
    type=click.Path(path_type=Path),
    help="The library the files are checked in (default: the bundled checklists).",
)
def lint(paths: tuple[Path, ...], as_json: bool, context: tuple[Path, ...]) -> None:
    """Check checklist files (default: the bundled ones); one problem per line.

    A file named on its own is checked inside the library it will be used with (the bundled
    checklists, or --checklists), replacing the one with its id there, so its references to other
    checklists and country lists resolve. A folder is checked as a whole library.
    """
    problems = lint_files(list(paths) or None, list(context) or None)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "file": p.file,
                        "line": p.line,
                        "column": p.column,
                        "checklist": p.checklist_id,
                        "question": p.question_id,
                        "field": p.field,
                        "message": p.message,
                    }
                    for p in problems
                ],
                indent=2,
            )
        )
    else:
        for problem in problems:
            click.echo(str(problem))
        if not problems:
            click.echo("No problems found.", err=True)
    if problems:
        raise SystemExit(1)


@checklists.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--path", "paths", multiple=True, type=click.Path(path_type=Path))
def list_checklists(as_json: bool, paths: tuple[Path, ...]) -> None:
    """The checklists available, with version, who they are for and their content hash."""
    library = _library(paths)
    rows = []
    for checklist in sorted(library.checklists.values(), key=lambda c: c.id):
        source = library.sources[checklist.id]
        rows.append(
            {
                "id": checklist.id,
                "title": checklist.title,
                "version": checklist.version,
                "policy_ref": checklist.policy_ref,
                "firm_roles": [r.value for r in checklist.applies_to.firm_roles],
                "client_types": [c.value for c in checklist.applies_to.client_types],
                "start": checklist.applies_to.start,
                "questions": sum(1 for _ in checklist.questions()),
                "sha256": source.sha256,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']:<24} v{row['version']:<7} {row['questions']:>3} questions  "
            f"{row['start']:<9}  {row['title']}"
        )


@checklists.command()
@click.argument("checklist_id")
@click.option("--json", "as_json", is_flag=True, help="Print the definition as JSON.")
@click.option("--path", "paths", multiple=True, type=click.Path(path_type=Path))
def show(checklist_id: str, as_json: bool, paths: tuple[Path, ...]) -> None:
    """A readable outline of one checklist, with its branching and effects."""
    library = _library(paths)
    checklist = library.get(checklist_id)
    if checklist is None:
        known = ", ".join(sorted(library.checklists))
        raise click.ClickException(f"no checklist '{checklist_id}' (known: {known})")
    if as_json:
        click.echo(checklist.model_dump_json(indent=2, by_alias=True))
        return
    click.echo("\n".join(outline(checklist)))


@checklists.command()
def schema() -> None:
    """The JSON Schema of the checklist format, for editor validation."""
    click.echo(json.dumps(checklist_json_schema(), indent=2))


def outline(checklist: Checklist) -> list[str]:
    """The checklist as indented lines: sections, questions, conditions and effects."""
    applies = checklist.applies_to
    lines = [
        f"{checklist.title}",
        f"  id {checklist.id}, version {checklist.version}, policy {checklist.policy_ref}",
        f"  for {', '.join(r.value for r in applies.firm_roles)}"
        + (
            f"; clients: {', '.join(c.value for c in applies.client_types)}"
            if applies.client_types
            else ""
        )
        + (
            "; started by another checklist"
            if applies.start == "spawned"
            else "; starts automatically"
        ),
        "",
    ]
    for number, section in enumerate(checklist.sections, start=1):
        heading = f"{number}. {section.title}"
        if section.repeat is not None:
            heading += f"  [repeats per {section.repeat.label}]"
        lines.append(heading)
        if section.show_when is not None:
            lines.append(f"   shown when {describe_condition(section.show_when, checklist)}")
        for question in section.questions:
            flags = [question.type.value]
            flags.append("required" if question.required else "optional")
            flags.append(f"before {(question.gate or checklist.default_gate).value}")
            if question.min_length:
                flags.append(f"min {question.min_length} chars")
            lines.append(f"   - {question.id}: {question.text}  ({', '.join(flags)})")
            if question.options:
                lines.append("       options: " + "; ".join(o.label for o in question.options))
            if question.evidence is not None:
                lines.append(
                    f"       evidence: {question.evidence.min_count}+ of "
                    + ", ".join(question.evidence.documents)
                )
            lines.append("       cites: " + "; ".join(question.citations))
            if question.show_when is not None:
                lines.append(
                    f"       shown when {describe_condition(question.show_when, checklist)}"
                )
            for rule in question.rules:
                lines.append(f"       when {describe_condition(rule.when, checklist)}:")
                lines.extend(f"         -> {describe_effect(e)}" for e in rule.effects)
        lines.append("")
    if checklist.rules:
        lines.append("Checklist rules")
        for rule in checklist.rules:
            lines.append(f"   when {describe_condition(rule.when, checklist)}:")
            lines.extend(f"     -> {describe_effect(e)}" for e in rule.effects)
    return lines


def _library(paths: tuple[Path, ...]) -> ChecklistLibrary:
    try:
        return load_library(list(paths) or None)
    except InvalidChecklist as error:
        raise click.ClickException(
            "the checklists have problems; run `duediligence checklists lint`:\n" + str(error)
        ) from None
