"""The case-file commands: init, users, cases, parties, answer, evidence, events, approve, verify.

Each command opens the store given by `--store` (or DUEDILIGENCE_STORE, or the platform data
directory), acts as `--as USER` (or DUEDILIGENCE_USER), prints text or `--json`, and exits
non-zero on failure: 1 for a refused or invalid request, 2 for a usage mistake (click), 3 for a
stale write (someone else changed the record; read again and retry). A user mistake never shows
a traceback.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
import tomli_w

from duediligence.adapters.identity import computer_account
from duediligence.adapters.locations import (
    DatabaseUrl,
    StoreLocation,
    default_store_path,
    local_path,
)
from duediligence.cli.params import STORE
from duediligence.compose import OpenCaseFile, open_casefile
from duediligence.config import Settings, load_settings
from duediligence.domain.answers import display_answer
from duediligence.domain.case import (
    Actor,
    AuditEvent,
    CaseStatus,
    ConflictError,
    HoldGround,
    LeftoverCleanup,
    PartyKind,
    PartyRole,
    Person,
    RestrictedKind,
    Supervisor,
    jsonable,
    usual_kind,
)
from duediligence.domain.claims import ClaimStanding
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.evaluation import CLIENT
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import CaseSummary
from duediligence.domain.paths import atomic_output, exists, output_problem
from duediligence.domain.sale import SaleView, sale_side_line
from duediligence.domain.vocabulary import (
    ClientType,
    FirmKind,
    FirmRole,
    MatterEvent,
    Rating,
    Role,
)
from duediligence.services.casefile import (
    UNSET,
    CaseFile,
    NewCase,
    NewEvidence,
    NewParty,
)
from duediligence.services.reading import CaseView

P = ParamSpec("P")
T = TypeVar("T")


# ----------------------------------------------------------------------------------------------
# Parameter types and shared options


class _DateType(click.ParamType[date]):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"'{value}' is not a date (use YYYY-MM-DD, e.g. 2026-01-31)", param, ctx)


class _MomentType(click.ParamType[datetime]):
    name = "YYYY-MM-DDTHH:MM[+ZONE]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(
                f"'{value}' is not a date and time (use e.g. 2026-01-31T14:30 or "
                "2026-01-31T14:30+00:00)",
                param,
                ctx,
            )
        try:
            # A time without a zone is the machine's local time, as the person typing meant it.
            moment = moment if moment.tzinfo else moment.astimezone()
            # Stored and compared in UTC: a moment at the edge of the calendar (year 1 east of
            # Greenwich, year 9999 west of it) has no UTC time.
            moment.astimezone(UTC)
        except (OverflowError, ValueError):
            self.fail(f"'{value}' is outside the dates that can be recorded", param, ctx)
        return moment


DATE = _DateType()
MOMENT = _MomentType()


def _choice(values: Any) -> click.Choice[str]:
    return click.Choice([v.value for v in values])


@dataclass
class Context:
    """What every command receives: where the store is, who acts, how to print."""

    store_path: StoreLocation
    user: str | None
    as_json: bool
    checklist_paths: tuple[Path, ...]
    settings: Settings | None = None

    def actor(self) -> Actor:
        if not self.user:
            raise DueDiligenceError("say who you are with --as USER (or DUEDILIGENCE_USER)")
        return Actor(user=self.user, os_user=computer_account())

    @contextmanager
    def opened(self, *, create: bool = False, library: bool = True) -> Iterator[OpenCaseFile]:
        """The case file opened through the one shared assembly (`duediligence.compose`)."""
        # A database says itself whether it holds a case file (SqlStore, `create`).
        if not create and isinstance(self.store_path, Path) and not exists(self.store_path):
            raise DueDiligenceError(
                f"there is no case file at {self.store_path}; run `duediligence init` first "
                "or point --store at one"
            )
        # Commands about the register and the firm need no checklists: skip loading them.
        with open_casefile(
            self.store_path,
            create=create,
            settings=self.settings,
            checklist_paths=self.checklist_paths,
            library=None if library else ChecklistLibrary(checklists={}),
        ) as opened:
            yield opened

    @contextmanager
    def casefile(self, *, create: bool = False, library: bool = True) -> Iterator[CaseFile]:
        with self.opened(create=create, library=library) as opened:
            yield opened.casefile

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        if self.as_json:
            click.echo(json.dumps(jsonable(data), indent=2, ensure_ascii=False))
        else:
            click.echo(text() if callable(text) else text)


def common(func: Callable[..., T]) -> Callable[..., T]:
    """Add --store, --as, --checklists and --json, and turn user errors into messages."""

    @click.option(
        "--store",
        "store",
        type=STORE,
        help="Case-file database (default: the `store` setting / DUEDILIGENCE_STORE, else the "
        "platform data directory).",
    )
    @click.option(
        "--as",
        "user",
        help="Who you are (a user id; default: the `user` setting / DUEDILIGENCE_USER).",
    )
    @click.option(
        "--checklists",
        "checklist_paths",
        multiple=True,
        type=click.Path(path_type=Path, exists=True),
        help="Checklist files or folders to use instead of the bundled ones.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
    @functools.wraps(func)
    def wrapper(
        store: StoreLocation | None,
        user: str | None,
        checklist_paths: tuple[Path, ...],
        as_json: bool,
        **kwargs: Any,
    ) -> T:
        try:
            settings = load_settings(store=given_store(store), user=user)
        except DueDiligenceError as error:
            _fail(Context(Path(), None, as_json, ()), error)
        ctx = Context(
            store_path=settings.store if settings.store is not None else default_store_path(),
            user=settings.user,
            as_json=as_json,
            checklist_paths=checklist_paths or settings.checklists,
            settings=settings,
        )
        try:
            return func(ctx, **kwargs)
        except DueDiligenceError as error:
            _fail(ctx, error)

    return wrapper


def given_store(store: StoreLocation | None) -> StoreLocation | None:
    """The command's --store, else the one given before the command: `duediligence --store X
    cases list` means the same store as `duediligence cases list --store X`."""
    if store is not None:
        return store
    root = click.get_current_context().find_root().params.get("store")
    return root if isinstance(root, Path | DatabaseUrl) else None


def _fail(ctx: Context, error: DueDiligenceError) -> NoReturn:
    code = 3 if isinstance(error, ConflictError) else 1
    if ctx.as_json:
        click.echo(json.dumps({"error": str(error), "kind": type(error).__name__}, indent=2))
    click.echo(f"error: {error}", err=True)
    raise SystemExit(code)


# ----------------------------------------------------------------------------------------------
# init and users


@click.command()
@click.option("--firm", "firm_name", required=True, help="The firm's name.")
@click.option("--supervisor", type=_choice(Supervisor), required=True, help="AML supervisor.")
@click.option(
    "--kind",
    "firm_kind",
    type=_choice(FirmKind),
    help="What the firm is: law_firm, estate_agency or both; it decides which matters open "
    "(default: law_firm under the SRA, estate_agency under HMRC, otherwise both).",
)
@click.option("--registration", help="Registration number with the supervisor.")
@click.option("--fwra-version", required=True, help="Firm-wide risk assessment version.")
@click.option("--fwra-date", type=DATE, required=True, help="Date that FWRA was approved.")
@click.option(
    "--training-months",
    type=click.IntRange(1, 60),
    help="AML training older than this is out of date (default: training_valid_months setting).",
)
@click.option(
    "--fwra-approver",
    help="Who approved the FWRA: a senior manager's user id (default: the first user, when they "
    "are one). Anyone else is registered now, with --fwra-approver-name.",
)
@click.option(
    "--fwra-approver-name",
    help="The full name of the senior manager who approved the FWRA, when it is not the first user.",
)
@click.option("--user", "user_id", required=True, help="The first user's id (short name).")
@click.option("--name", required=True, help="The first user's full name.")
@click.option("--role", "roles", type=_choice(Role), multiple=True, required=True)
@click.option("--trained-on", type=DATE, help="Date of the first user's last AML training.")
@common
def init(
    ctx: Context,
    firm_name: str,
    supervisor: str,
    firm_kind: str | None,
    registration: str | None,
    fwra_version: str,
    fwra_date: date,
    training_months: int | None,
    fwra_approver: str | None,
    fwra_approver_name: str | None,
    user_id: str,
    name: str,
    roles: tuple[str, ...],
    trained_on: date | None,
) -> None:
    """Create the case file with the firm profile and its first user (and the senior manager who
    approved the firm-wide risk assessment, when that is someone else)."""
    person = _person(user_id, name, roles, trained_on)
    approver = None
    if fwra_approver_name is not None:
        if fwra_approver is None:
            raise click.UsageError("--fwra-approver-name needs --fwra-approver (their user id)")
        approver = _person(fwra_approver, fwra_approver_name, (Role.SENIOR_MANAGER.value,), None)
    with ctx.casefile(create=True, library=False) as casefile:
        firm = casefile.init_firm(
            firm_name=firm_name,
            supervisor=Supervisor(supervisor),
            kind=FirmKind(firm_kind) if firm_kind else usual_kind(Supervisor(supervisor)),
            supervisor_registration=registration,
            fwra_version=fwra_version,
            fwra_date=fwra_date,
            training_months=training_months or (ctx.settings or Settings()).training_valid_months,
            fwra_approver=fwra_approver,
            approver=approver,
            first_user=person,
            os_user=computer_account(),
        )
    ctx.emit(
        {"firm": firm.payload(), "user": person.payload(), "store": str(ctx.store_path)},
        f"Case file created at {ctx.store_path} for {firm.name}; first user {person.id}.",
    )


@click.command()
@common
def migrate(ctx: Context) -> None:
    """Bring the case file's schema to this program's version. On a shared PostgreSQL store this
    is the administrator's command (as the role that owns the schema); nobody else's command
    migrates it. A SQLite case file is migrated whenever it is opened."""
    from duediligence.compose import migrate_store

    before, after = migrate_store(ctx.store_path)
    shown = str(ctx.store_path)
    ctx.emit(
        {"store": shown, "from": before, "to": after},
        f"The case file {shown} is at schema revision {after}"
        + (" (it already was)." if before == after else f" (it was at {before or 'none'})."),
    )


@click.group()
def store() -> None:
    """The case file as a whole: copy it to another engine."""


@store.command(name="copy")
@click.argument("source", type=STORE)
@click.argument("target", type=STORE)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def store_copy(source: StoreLocation, target: StoreLocation, as_json: bool) -> None:
    """Copy the case file SOURCE whole (chain, records, evidence, lists, signing key) into the
    empty TARGET, e.g. a SQLite file into a firm's PostgreSQL database, and verify the copy
    before saying done. The administrator's command: TARGET is written as its owner."""
    from duediligence.compose import copy_store

    ctx = Context(store_path=target, user=None, as_json=as_json, checklist_paths=())
    try:
        rows, files, head = copy_store(source, target)
    except DueDiligenceError as error:
        _fail(ctx, error)
    ctx.emit(
        {
            "source": str(source),
            "target": str(target),
            "rows": rows,
            "files": files,
            "head_sha256": head,
        },
        f"Copied {source} into {target}: {rows} rows, {files} files; the copy verifies, "
        f"chain head {head}.",
    )


@click.group()
def users() -> None:
    """The register of people, their roles and AML training."""


@users.command(name="add")
@click.argument("user_id")
@click.option("--name", required=True)
@click.option("--role", "roles", type=_choice(Role), multiple=True, required=True)
@click.option("--trained-on", type=DATE, help="Date of the last AML training.")
@click.option(
    "--os-user",
    "os_users",
    multiple=True,
    help="A computer account they act from (repeat): registers and binds in one step.",
)
@click.option(
    "--db-role",
    help="PostgreSQL case file: the database role they connect as (default: their user id); "
    "created when missing, and given the grants of their roles.",
)
@common
def users_add(
    ctx: Context,
    user_id: str,
    name: str,
    roles: tuple[str, ...],
    trained_on: date | None,
    os_users: tuple[str, ...],
    db_role: str | None,
) -> None:
    """Register a person (supervisors, senior managers and the MLRO act only once bound). On a
    PostgreSQL case file, also make their database role theirs: connected as it, they act only
    as themselves, and the database's grants hold their role's limits even outside the program."""
    from duediligence.compose import bind_database_role

    person = _person(user_id, name, roles, trained_on)
    cleaned = tuple(dict.fromkeys(u.strip() for u in os_users if u.strip()))
    person = person.model_copy(update={"os_users": cleaned})
    if db_role is not None and not isinstance(ctx.store_path, DatabaseUrl):
        raise DueDiligenceError(
            "--db-role is for a PostgreSQL case file; this one is a SQLite file"
        )
    with ctx.opened(library=False) as opened:
        opened.casefile.add_person(ctx.actor(), person)
        bound = bind_database_role(opened, person, db_role)
    data = person.payload() | ({"db_role": bound} if bound else {})
    ctx.emit(
        data,
        f"Registered {person.id} ({', '.join(roles)})"
        + (f"; they connect as the database role {bound}." if bound else "."),
    )


@users.command(name="train")
@click.argument("user_id")
@click.option(
    "--on", "trained_on", type=DATE, required=True, help="Date the training was completed."
)
@common
def users_train(ctx: Context, user_id: str, trained_on: date) -> None:
    """Record a person's latest AML training date."""
    with ctx.casefile(library=False) as casefile:
        person = casefile.record_training(ctx.actor(), user_id, trained_on)
    ctx.emit(person.payload(), f"Recorded training for {person.id} on {trained_on}.")


@users.command(name="bind")
@click.argument("user_id")
@click.option(
    "--os-user",
    "os_users",
    multiple=True,
    help="A computer account that may act as this person (repeat; none: any account).",
)
@common
def users_bind(ctx: Context, user_id: str, os_users: tuple[str, ...]) -> None:
    """Bind a person to the computer accounts they may act from (MLRO or senior manager).

    Bind the MLRO, so that nobody else can act as them: see their restricted records or
    decide sanctions hits."""
    with ctx.casefile(library=False) as casefile:
        person = casefile.bind_os_users(ctx.actor(), user_id, os_users)
    accounts = ", ".join(person.os_users) or "any computer account"
    ctx.emit(person.model_dump(mode="json"), f"{person.id} may act from: {accounts}.")


@users.command(name="list")
@common
def users_list(ctx: Context) -> None:
    """Everyone registered."""
    with ctx.casefile(library=False) as casefile:
        people = casefile.people()
    ctx.emit(
        [p.payload() for p in people],
        lambda: (
            "\n".join(
                f"{p.id}\t{p.name}\t{','.join(r.value for r in p.roles)}\t"
                f"trained {p.trained_on or 'never'}\t"
                f"acts from {', '.join(p.os_users) or 'any account'}"
                for p in people
            )
            or "No users."
        ),
    )


def _person(user_id: str, name: str, roles: tuple[str, ...], trained_on: date | None) -> Person:
    from pydantic import ValidationError

    try:
        return Person(
            id=user_id, name=name, roles=tuple(Role(r) for r in roles), trained_on=trained_on
        )
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise DueDiligenceError(f"invalid user: {detail}") from None


# ----------------------------------------------------------------------------------------------
# cases


@click.group()
def cases() -> None:
    """Open, list, show and export cases."""


@cases.command(name="new")
@click.argument("reference")
@click.option("--kind", type=_choice(FirmRole), required=True, help="Solicitor matter or sale.")
@click.option("--matter-type", required=True, help="residential_purchase, estate_agency_sale, ...")
@click.option("--client-type", type=_choice(ClientType), required=True)
@click.option("--acting-for", help="buyer, seller, both, landlord, tenant or other.")
@click.option("--responsible", required=True, help="User id of the responsible person.")
@common
def cases_new(
    ctx: Context,
    reference: str,
    kind: str,
    matter_type: str,
    client_type: str,
    acting_for: str | None,
    responsible: str,
) -> None:
    """Open a case; the checklists that apply start automatically."""
    with ctx.casefile() as casefile:
        records = casefile.open_case(
            ctx.actor(),
            NewCase(
                reference=reference,
                firm_role=FirmRole(kind),
                matter_type=matter_type,
                client_type=ClientType(client_type),
                responsible=responsible,
                acting_for=acting_for,
            ),
        )
    runs = [r.key for r in records.runs]
    ctx.emit(
        {"case": records.case.payload(), "checklists": runs},
        f"Opened {reference}; checklists: {', '.join(runs) or 'none apply'}.",
    )


@cases.command(name="close")
@click.argument("reference")
@common
def cases_close(ctx: Context, reference: str) -> None:
    """Close a case (its records stay; the retention clock is a separate matter)."""
    with ctx.casefile() as casefile:
        case = casefile.set_status(ctx.actor(), reference, CaseStatus.CLOSED)
    ctx.emit(case.payload(), f"Closed {reference}.")


@cases.command(name="start")
@click.argument("reference")
@click.argument("checklist_id")
@click.option("--party", help="The party it is about (p1, p2 ...); the client when omitted.")
@common
def cases_start(ctx: Context, reference: str, checklist_id: str, party: str | None) -> None:
    """Start a checklist the matter asks for (PEP EDD, source of wealth ...) on a case."""
    with ctx.casefile() as casefile:
        run = casefile.start_checklist(ctx.actor(), reference, checklist_id, party or CLIENT)
    ctx.emit(run.payload(), f"Started {run.key} on {reference}.")


@cases.command(name="list")
@click.option(
    "--refresh",
    is_flag=True,
    help="Recompute every row first, with the firm's configured checklists (after changing "
    "review policy or checklists); the MLRO only, audited.",
)
@common
def cases_list(ctx: Context, refresh: bool) -> None:
    """Every case with its status, ratings, flags and next review."""
    if refresh and click.get_current_context().params.get("checklist_paths"):
        # Rows worked out from other checklists would say what the firm's do not.
        raise DueDiligenceError(
            "--refresh recomputes every stored row with the firm's configured checklists (the "
            "`checklists` setting); it does not take --checklists; nothing was changed"
        )
    with ctx.casefile() as casefile:
        if refresh:
            casefile.refresh_summaries(ctx.actor())
        found = casefile.summaries()
    ctx.emit(
        [_summary_data(c) for c in found],
        lambda: "\n".join(_summary_line(c) for c in found) or "No cases.",
    )


def _summary_data(summary: CaseSummary) -> dict[str, Any]:
    return {
        "reference": summary.reference,
        "kind": summary.firm_role,
        "matter_type": summary.matter_type,
        "status": summary.status,
        "responsible": summary.responsible,
        "opened_at": summary.opened_at,
        "rating": summary.chosen_rating,
        "computed_rating": summary.computed_rating,
        "pep": summary.pep,
        "sanctions": summary.sanctions,
        "gates_open": summary.gates_open,
        "missing": summary.missing,
        "next_review": summary.next_review,
        "review_reasons": list(summary.review_reasons),
        "retention_until": summary.retention_until,
        "on_hold": summary.on_hold,
        "approval_requested_at": summary.approval_requested_at,
        "approval_requested_by": summary.approval_requested_by,
        "gate_exceptions": summary.gate_exceptions,
        "unreconciled_receipts": summary.unreconciled_receipts,
    }


def _summary_line(c: CaseSummary) -> str:
    marks = ",".join(m for m, on in (("PEP", c.pep), ("SANCTIONS", c.sanctions)) if on)
    return (
        f"{c.reference}\t{c.firm_role}\t{c.matter_type}\t{c.status}\t{c.responsible}\t"
        f"rating {c.chosen_rating or '-'} (computed {c.computed_rating})\t"
        f"gates {c.gates_open}/4\tmissing {c.missing}\treview {c.next_review or '-'}"
        + (f"\t{marks}" if marks else "")
        + (f"\tGATE EXCEPTIONS {c.gate_exceptions}" if c.gate_exceptions else "")
        + (f"\tUNRECONCILED RECEIPTS {c.unreconciled_receipts}" if c.unreconciled_receipts else "")
    )


@cases.command(name="show")
@click.argument("reference")
@common
def cases_show(ctx: Context, reference: str) -> None:
    """A case: parties, current answers, events, evidence, approvals and gates."""
    with ctx.casefile() as casefile:
        view = casefile.view(reference)
        screening = casefile.screening_warnings(reference)
    data = _case_data(view)
    data["warnings"] = [*data["warnings"], *screening]
    ctx.emit(data, lambda: "\n".join([_case_text(view), *(f"Warning: {w}" for w in screening)]))


@cases.command(name="export")
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["json", "toml"]), default="json")
@click.option(
    "--output", type=click.Path(path_type=Path, dir_okay=False), help="File (default stdout)."
)
@click.option("--force", is_flag=True, help="Replace --output if it exists.")
@common
def cases_export(ctx: Context, reference: str, fmt: str, output: Path | None, force: bool) -> None:
    """The whole case (every answer version, evidence metadata, approvals, its audit events)."""
    if output is not None:  # refused before anything is read, so nothing is half done
        problem = output_problem(output, store=local_path(ctx.store_path), force=force)
        if problem is not None:
            raise DueDiligenceError(problem)
    with ctx.casefile() as casefile:
        matter = casefile.read_matter(reference)
    view, firm, events = matter.view, matter.firm, matter.events
    records = view.records
    data = {
        "format": "duediligence-case/1",
        "firm": firm.payload() if firm else None,
        **_case_data(view),
        "answer_versions": [a.payload() for a in records.answers],
        "audit_events": [_exported_event(n, e) for n, e in enumerate(events, 1)],
    }
    plain = jsonable(data)
    text = (
        json.dumps(plain, indent=2, ensure_ascii=False)
        if fmt == "json"
        else tomli_w.dumps(_without_none(plain))
    )
    if output is None:
        click.echo(text)
    else:
        with atomic_output(output, store=local_path(ctx.store_path), force=force) as handle:
            handle.write(text.encode("utf-8"))
        click.echo(f"Exported {reference} to {output}.", err=True)


def _exported_event(entry: int, event: AuditEvent) -> dict[str, Any]:
    """An audit event as exported: numbered within the matter, found in the chain by its hash.
    The chain's sequence number and previous hash are left out: their gaps would show when the
    MLRO wrote a restricted record (tipping off)."""
    data = event.model_dump()
    del data["seq"], data["prev_sha256"]
    return {"entry": entry, **data}


def _case_data(view: CaseView) -> dict[str, Any]:
    records = view.records
    latest: dict[tuple[str, str], Any] = {}
    for answer in records.answers:
        latest[(answer.run_id, answer.question_key)] = answer
    run_keys = {r.id: r.key for r in records.runs}
    evaluation = view.evaluation
    return {
        "case": records.case.payload(),
        "state_sha256": view.state_sha256,
        "relied_on_sha256": view.relied_on_sha256,
        "parties": [p.payload() for p in records.parties],
        "checklists": [r.payload() for r in records.runs],
        "answers": [
            {
                "checklist": run_keys.get(a.run_id),
                "question": a.question_key,
                "value": a.payload()["value"]["v"],
                "version": a.number,
                "version_id": a.id,
                "answered_by": a.answered_by,
                "answered_at": a.answered_at,
            }
            for a in latest.values()
        ],
        "events": [e.payload() for e in records.events],
        "evidence": [e.payload() for e in records.evidence],
        "approvals": [
            a.payload()
            | {
                "superseded": a.id in view.superseded,
                "changed_since": [c.describe() for c in view.changes.get(a.id, ())],
            }
            for a in records.approvals
        ],
        "overrides": [o.payload() for o in records.overrides],
        "approval_requests": [r.payload() for r in records.approval_requests],
        "evaluation": {
            "score": evaluation.score,
            "computed_rating": evaluation.computed_rating,
            "minimum_rating": evaluation.minimum_rating,
            "missing": [
                {"checklist": m.run_id, "question": m.question_id, "gate": m.gate}
                for m in evaluation.missing
            ],
            "gates": [
                {
                    "gate": g.gate,
                    "title": view.gate_title(g.gate),
                    "open": g.open,
                    "reasons": [r.message for r in g.reasons],
                }
                for g in evaluation.gates
            ],
            "approvals_needed": [
                {"role": n.role, "reason": n.reason, "satisfied": n.satisfied}
                for n in evaluation.approvals
            ],
        },
        "timing": {
            "relationship_began": view.timing.start.at,
            "basis": view.timing.start.basis,
            "late": view.timing.late_count,
            "late_unjustified": view.timing.unjustified_count,
            "judged_on": view.timing.basis,
            "entered_late": view.timing.entered_late_count,
            "backdated": [
                {"what": c.what, "claimed": c.claimed, "entered": c.entered}
                for c in view.timing.backdated
            ],
        },
        "claims": [
            {
                "run": next((r.key for r in view.records.runs if r.id == c.run_id), c.run_id),
                "question": c.question_key,
                "standing": c.standing.value,
                "finding": c.finding,
                "records": list(c.records),
            }
            for c in view.claims
        ],
        "warnings": _warnings(view),
    }


def _warnings(view: CaseView) -> list[str]:
    return (
        [f"checklist {k} is not loaded; not evaluated" for k in view.unloaded_checklists]
        + [f"checklist {k} has changed since it started" for k in view.changed_checklists]
        + [
            f"{e.event.label.lower()} recorded by the MLRO although its gate was closed "
            f"({'; '.join(e.blocked_by)}): {e.gate_exception}"
            for e in view.records.events
            if e.gate_exception is not None
        ]
        + [
            f"approved as {a.role.value} by the MLRO {a.approver} although incomplete "
            f"({'; '.join(a.incomplete)}): {a.incomplete_reason}"
            for a in view.records.approvals
            if a.incomplete_reason is not None
        ]
    )


def _case_text(view: CaseView) -> str:
    case = view.records.case
    ev = view.evaluation
    lines = [
        f"{case.reference}  {case.firm_role.value} / {case.matter_type}  client {case.client_type.value}"
        f"  responsible {case.responsible}  {case.status.value}",
        f"Risk: score {ev.score}, computed {ev.computed_rating.value}",
        "Gates: "
        + "  ".join(
            f"{g.gate.value} {view.gate_title(g.gate)}: {'open' if g.open else 'closed'}"
            for g in ev.gates
        ),
        f"Relationship began: {_began(view)}",
    ]
    timing = view.timing
    if timing.entered_late_count:
        lines.append(
            f"Timing: {timing.entered_late_count} verification(s) claimed before the relationship "
            "began but entered after it"
        )
    lines.extend(
        f"Back-dated: {c.what}, claimed {c.claimed:%Y-%m-%d}, entered {c.entered:%Y-%m-%d %H:%M}"
        for c in timing.backdated
    )
    for party in view.records.parties:
        lines.append(f"Party {party.label}: {party.name} ({party.role.value}, {party.kind.value})")
    for event in view.records.events:
        lines.append(f"Event {event.event.value} at {event.at:%Y-%m-%d %H:%M %Z}")
        if event.gate_exception is not None:
            lines.append(
                f"  EXCEPTION by {event.recorded_by} (MLRO), gate closed: {event.gate_exception}"
            )
    lines.extend(f"Warning: {w}" for w in _warnings(view))
    for item in view.records.evidence:
        lines.append(
            f"Evidence {item.id}: {item.document_type} '{item.original_name}' sha256 {item.sha256}"
        )
    for approval in view.records.approvals:
        state = "SUPERSEDED" if approval.id in view.superseded else "current"
        lines.append(
            f"Approval {approval.decision} by {approval.approver} as {approval.role.value} ({state})"
        )
        if approval.incomplete_reason is not None:
            lines.append(
                f"  INCOMPLETE FILE ({'; '.join(approval.incomplete)}): "
                f"{approval.incomplete_reason}"
            )
        lines.extend(f"  changed since: {c.describe()}" for c in view.changes.get(approval.id, ()))
    for need in ev.approvals:
        lines.append(
            f"Needs {need.role.value} approval: {need.reason} ({'done' if need.satisfied else 'outstanding'})"
        )
    lines.extend(
        f"Answer {c.question_key} against the records: {c.standing.value.upper()}: {c.finding}"
        for c in view.claims
        if c.standing is not ClaimStanding.BACKED
    )
    if ev.missing:
        lines.append(f"Missing answers: {len(ev.missing)}")
        lines.extend(f"  {m.run_id} {m.question_id} (before {m.gate.value})" for m in ev.missing)
    return "\n".join(lines)


def _began(view: CaseView) -> str:
    start = view.timing.start
    if start.at is None:
        return f"not recorded ({start.basis})"
    return f"{start.at:%Y-%m-%d %H:%M %Z} ({start.basis})"


def _without_none(value: Any) -> Any:
    # tomli-w cannot write None: leave absent values out.
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


# ----------------------------------------------------------------------------------------------
# parties, answers, events, evidence, approvals


@click.group()
def parties() -> None:
    """Parties to a case."""


@parties.command(name="add")
@click.argument("reference")
@click.option("--role", type=_choice(PartyRole), required=True)
@click.option("--kind", type=_choice(PartyKind), default="individual", show_default=True)
@click.option("--name", required=True, help="Name as written, in any script.")
@click.option("--other-name", "other_names", multiple=True, help="Other names, transliterations.")
@click.option("--dob", type=DATE, help="Date of birth (individuals).")
@click.option("--nationality", "nationalities", multiple=True, help="ISO country code.")
@click.option("--address", "addresses", multiple=True)
@click.option("--registration", help="Registration number (entities).")
@common
def parties_add(
    ctx: Context,
    reference: str,
    role: str,
    kind: str,
    name: str,
    other_names: tuple[str, ...],
    dob: date | None,
    nationalities: tuple[str, ...],
    addresses: tuple[str, ...],
    registration: str | None,
) -> None:
    """Add a party to a case."""
    with ctx.casefile() as casefile:
        party = casefile.add_party(
            ctx.actor(),
            reference,
            NewParty(
                role=PartyRole(role),
                kind=PartyKind(kind),
                name=name,
                other_names=other_names,
                date_of_birth=dob,
                nationalities=nationalities,
                addresses=addresses,
                registration_number=registration,
            ),
        )
    ctx.emit(party.payload(), f"Added party {party.label}: {party.name}.")


@click.command()
@click.argument("reference")
@click.argument("question")
@click.argument("value")
@click.option("--run", "run_key", help="The checklist, when the question is in several.")
@click.option(
    "--previous",
    help="The answer version id you last saw; refused if someone has answered since.",
)
@click.option("--first", is_flag=True, help="Refuse if the question already has an answer.")
@click.option(
    "--reason",
    help="MLRO only: why, for an answer that needs the MLRO's confirmation (out of scope).",
)
@common
def answer(
    ctx: Context,
    reference: str,
    question: str,
    value: str,
    run_key: str | None,
    previous: str | None,
    first: bool,
    reason: str | None,
) -> None:
    """Answer QUESTION on case REFERENCE (question#N inside a repeating section)."""
    if first and previous:
        raise click.UsageError("--first and --previous cannot be used together")
    expected = None if first else previous if previous else UNSET
    with ctx.casefile() as casefile:
        view = casefile.answer_and_read(
            ctx.actor(),
            reference,
            question,
            value,
            run_key=run_key,
            expected_previous=expected,
            reason=reason,
        )
    # The version just written: the case's last audited answer, in the view it returned.
    records = view.records
    version = max(records.answers, key=lambda a: records.record_seq.get(a.target(), 0))
    run = next(r for r in records.runs if r.id == version.run_id)
    shown = question in view.evaluation.visible.get(run.key, ())
    if not shown:
        # Stored as given, but a scripted user would otherwise think it already counts.
        click.echo(
            f"note: {question} is not asked on {reference} as answered so far (an earlier "
            "answer hides it); it is stored and takes effect if the question is shown again",
            err=True,
        )
    ctx.emit(
        version.payload() | {"shown": shown},
        f"{question} = {value} (version {version.number}, {version.id}).",
    )


@click.group()
def events() -> None:
    """Matter events (instructed, exchange, completion ...)."""


@events.command(name="add")
@click.argument("reference")
@click.argument("event", type=_choice(MatterEvent))
@click.option("--at", type=MOMENT, help="When it happened (default now).")
@click.option(
    "--exception",
    metavar="REASON",
    help="MLRO only: record it although its gate is closed, saying why (e.g. funds already "
    "in client account, held).",
)
@common
def events_add(
    ctx: Context, reference: str, event: str, at: datetime | None, exception: str | None
) -> None:
    """Record a matter event; funds_received, exchange and completion only once their gate
    (G2, G3, G4) is open, unless the MLRO records an exception."""
    with ctx.casefile() as casefile:
        record = casefile.record_event(
            ctx.actor(), reference, MatterEvent(event), at, exception=exception
        )
    text = f"Recorded {event} at {record.at.isoformat()}."
    if record.gate_exception is not None:
        text += (
            f" Recorded as an MLRO exception: {record.gate_exception} (closed because: "
            f"{'; '.join(record.blocked_by)})."
        )
    ctx.emit(record.payload(), text)


@click.group()
def evidence() -> None:
    """Evidence files."""


@evidence.command(name="add")
@click.argument("reference")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--type", "document_type", required=True, help="passport, bank_statement, ...")
@click.option("--question", help="The question it supports.")
@click.option("--run", "run_key", help="The checklist, when the question is in several.")
@click.option("--party", help="The party it is about (p1, p2 ...).")
@click.option("--issuer")
@click.option(
    "--number",
    "document_number",
    help="The document's number (passport number ...); printed masked in the audit file.",
)
@click.option("--document-date", type=DATE)
@click.option("--expiry", type=DATE)
@click.option("--received-at", type=MOMENT, help="When it was received (default now).")
@click.option("--verified-at", type=MOMENT, help="When you verified it.")
@click.option("--method", help="How it was verified (needed with --verified-at).")
@click.option("--note")
@click.option(
    "--reuse-reason",
    help="Why this file, already on the case as another kind of document, is also this one.",
)
@common
def evidence_add(
    ctx: Context,
    reference: str,
    file: Path,
    document_type: str,
    question: str | None,
    run_key: str | None,
    party: str | None,
    issuer: str | None,
    document_number: str | None,
    document_date: date | None,
    expiry: date | None,
    received_at: datetime | None,
    verified_at: datetime | None,
    method: str | None,
    note: str | None,
    reuse_reason: str | None,
) -> None:
    """Store FILE as evidence on a case (content-addressed; the name is never used as a path)."""
    with ctx.casefile() as casefile:
        item = casefile.attach_evidence(
            ctx.actor(),
            reference,
            file,
            NewEvidence(
                document_type=document_type,
                question=question,
                run=run_key,
                party=party,
                issuer=issuer,
                document_number=document_number,
                document_date=document_date,
                expiry=expiry,
                received_at=received_at,
                verified_at=verified_at,
                method=method,
                note=note,
                reuse_reason=reuse_reason,
            ),
        )
    ctx.emit(
        item.payload(), f"Stored evidence {item.id} ({item.size} bytes, sha256 {item.sha256})."
    )


@click.command()
@click.argument("reference")
@click.option("--role", type=_choice(Role), required=True, help="The role you approve in.")
@click.option("--refuse", is_flag=True, help="Record a refusal instead of an approval.")
@click.option("--conditions", help="Conditions attached to the approval.")
@click.option(
    "--state",
    "expected_state",
    help="The relied-on hash you reviewed (`relied_on_sha256` from `cases show --json`); "
    "refused if the due-diligence record changed since.",
)
@click.option(
    "--incomplete-reason",
    help="MLRO only: why you approve although the EDD, source of wealth or source of funds "
    "is not complete (the approval is marked incomplete).",
)
@common
def approve(
    ctx: Context,
    reference: str,
    role: str,
    refuse: bool,
    conditions: str | None,
    expected_state: str | None,
    incomplete_reason: str | None,
) -> None:
    """Approve (or refuse) a case in a role, bound to the case as it stands."""
    with ctx.casefile() as casefile:
        approval = casefile.approve(
            ctx.actor(),
            reference,
            Role(role),
            decision="refused" if refuse else "approved",
            conditions=conditions,
            expected_state=expected_state,
            incomplete_reason=incomplete_reason,
        )
    text = (
        f"{approval.decision.capitalize()} {reference} as {role} (state {approval.state_sha256})."
    )
    if approval.incomplete_reason is not None:
        text += (
            f" INCOMPLETE FILE ({'; '.join(approval.incomplete)}), approved by the MLRO: "
            f"{approval.incomplete_reason}"
        )
    ctx.emit(approval.payload(), text)


@click.command(name="request-approvals")
@click.argument("reference")
@click.option("--note", help="A note to the approvers (what is urgent, what to look at).")
@common
def request_approvals(ctx: Context, reference: str, note: str | None) -> None:
    """Ask for the approvals a case is waiting for; they show in the approvers' queue."""
    with ctx.casefile() as casefile:
        request = casefile.request_approvals(ctx.actor(), reference, note)
    roles = ", ".join(r.value for r in request.roles)
    ctx.emit(
        request.payload(),
        f"Requested {roles} approval on {reference} ({'; '.join(request.reasons)}).",
    )


@click.command()
@click.argument("reference")
@click.option(
    "--rating", type=_choice(Rating), required=True, help="The rating accepted below the minimum."
)
@click.option(
    "--rationale",
    required=True,
    help="Why the lower rating is justified (at least 100 characters).",
)
@common
def override(ctx: Context, reference: str, rating: str, rationale: str) -> None:
    """MLRO only: accept a rating below a floor or trigger, recording why (audit-chained)."""
    with ctx.casefile() as casefile:
        record = casefile.override_rating(ctx.actor(), reference, Rating(rating), rationale)
    ctx.emit(
        record.payload(),
        f"Rating {record.rating.value} on {reference} accepted on MLRO override by "
        f"{record.overridden_by}.",
    )


@click.command()
@click.argument("reference", required=False)
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Also check the store against a checkpoint exported earlier (`checkpoint --export`).",
)
@common
def verify(ctx: Context, reference: str | None, checkpoint_file: Path | None) -> None:
    """Check the audit chain, every record, evidence file and approval, the listing rows, list
    files, checklist texts and signed checkpoints; exit 1 if anything is wrong."""
    from duediligence.services.proof import check_exported, read_export

    exported = read_export(checkpoint_file.read_bytes()) if checkpoint_file else None
    # Without --as nobody in particular reads it: restricted records are then not counted.
    actor = Actor(user=ctx.user or "", os_user=computer_account())
    with ctx.casefile() as casefile:
        report = casefile.verify(
            reference,
            actor=actor,
            more=(lambda tx, rep: check_exported(tx, rep, exported)) if exported else None,
        )
        leftovers = casefile.leftovers()
    data = {
        "ok": report.ok,
        "events": report.events,
        "records": report.records,
        "files": report.files,
        "approvals": report.approvals,
        "head_sha256": report.head_sha256,
        "problems": [
            {"kind": p.kind, "where": p.where, "message": p.message} for p in report.problems
        ],
        "leftovers": [
            {"file": f.path, "kind": f.kind, "size": f.size, "modified": f.modified}
            for f in leftovers
        ],
    }
    data |= {
        "listings": report.listings,
        "list_files": report.list_files,
        "checklists": report.checklists,
        "checkpoints": report.checkpoints,
        "listings_not_recomputed": report.listings_skipped,
        "mlro_records": report.restricted_note,
    }
    summary = (
        f"Checked {report.events} events, {report.records} records, {report.files} files, "
        f"{report.approvals} approvals, {report.listings} listing rows, {report.list_files} list "
        f"files, {report.checklists} checklist texts, {report.checkpoints} signed checkpoints; "
        f"chain head {report.head_sha256}."
    )
    if report.listings_skipped:
        summary += (
            f" {report.listings_skipped} listing row(s) not recomputed: their checklist files "
            "changed since the matter started them."
        )
    if report.restricted_note:
        summary += f" {report.restricted_note[0].upper()}{report.restricted_note[1:]}."
    if not report.checkpoints:
        summary += (
            " No signed checkpoint yet: the chain can be rewritten whole unnoticed until one "
            "exists (`duediligence checkpoint`)."
        )
    # Leftovers are not damage to the record (its integrity is intact), so they do not fail
    # verify; they are personal data outside it, so they are shown with what removes them.
    notes = [f"leftover {f}" for f in leftovers]
    if leftovers:
        notes.append(
            f"{len(leftovers)} file(s) left by interrupted writes; an MLRO or senior manager "
            "removes them with `duediligence maintenance clean` (the retention purge does too)"
        )
    ctx.emit(data, lambda: "\n".join([*(str(p) for p in report.problems), *notes, summary]))
    if not report.ok:
        if not ctx.as_json:
            click.echo(f"error: {len(report.problems)} problem(s) found", err=True)
        raise SystemExit(1)


# ----------------------------------------------------------------------------------------------
# firm, MLRO, reviews, retention


@click.group()
def maintenance() -> None:
    """Housekeeping of the case file's folders."""


@maintenance.command(name="clean")
@common
def maintenance_clean(ctx: Context) -> None:
    """Remove files left by killed or failed writes (evidence or list blobs no record refers to,
    partial writes) once they are an hour old; MLRO or senior manager, audited."""
    with ctx.casefile(library=False) as casefile:
        cleanup = casefile.clean_leftovers(ctx.actor())
    ctx.emit(
        {"removed": cleanup.payload() if cleanup else None},
        cleaned_text(cleanup)
        if cleanup
        else "Nothing to clean: no file was left by an interrupted write.",
    )


@click.group()
def firm() -> None:
    """The firm profile: firm-wide risk assessment."""


@firm.command(name="fwra")
@click.argument("version")
@click.option("--date", "approved_on", type=DATE, required=True, help="Date it was approved.")
@click.option("--approver", required=True, help="The senior manager who approved it.")
@common
def firm_fwra(ctx: Context, version: str, approved_on: date, approver: str) -> None:
    """Record the current firm-wide risk assessment (version, date, approver)."""
    with ctx.casefile(library=False) as casefile:
        profile = casefile.record_fwra(ctx.actor(), version, approved_on, approver)
    ctx.emit(
        profile.payload(),
        f"FWRA {profile.fwra_version} of {profile.fwra_date}, approved by {approver}, recorded.",
    )


_mlro_passphrase = click.option(
    "--passphrase-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A file whose first line is the MLRO's passphrase (otherwise it is asked for).",
)


def _read_mlro_passphrase(file: Path | None) -> str:
    from duediligence.cli.proof import read_passphrase

    passphrase = read_passphrase(file, "the MLRO's passphrase")
    assert passphrase is not None
    return passphrase


@click.group()
def mlro() -> None:
    """MLRO-restricted records (internal reports, deliberations, SAR/DAML references)."""


@mlro.command(name="add")
@click.argument("reference")
@click.argument("text")
@click.option(
    "--kind",
    type=_choice(RestrictedKind),
    default=RestrictedKind.INTERNAL_REPORT.value,
    show_default=True,
)
@_mlro_passphrase
@common
def mlro_add(
    ctx: Context, reference: str, text: str, kind: str, passphrase_file: Path | None
) -> None:
    """Record an MLRO-restricted record on a case (MLRO only; never in any case output),
    sealed under the MLRO's passphrase (the first record sets it)."""
    with ctx.casefile(library=False) as casefile:
        record = casefile.add_restricted(
            ctx.actor(),
            reference,
            RestrictedKind(kind),
            text,
            lambda: _read_mlro_passphrase(passphrase_file),
        )
    ctx.emit({"id": record.id, "kind": record.kind}, f"Restricted record {record.id} stored.")


@mlro.command(name="list")
@click.argument("reference")
@_mlro_passphrase
@common
def mlro_list(ctx: Context, reference: str, passphrase_file: Path | None) -> None:
    """The MLRO-restricted records of a case (MLRO only, with the MLRO's passphrase)."""
    with ctx.casefile(library=False) as casefile:
        found = casefile.restricted(
            ctx.actor(), reference, lambda: _read_mlro_passphrase(passphrase_file)
        )
    ctx.emit(
        [
            {"id": r.id, "kind": r.kind, "text": r.text, "added_at": r.added_at, "by": r.added_by}
            for r in found
        ],
        lambda: (
            "\n".join(
                f"{r.added_at:%Y-%m-%d %H:%M} {r.kind.value} by {r.added_by}: {r.text}"
                for r in found
            )
            or "No restricted records."
        ),
    )


@mlro.command(name="referrals")
@click.argument("reference")
@common
def mlro_referrals(ctx: Context, reference: str) -> None:
    """The referrals to the MLRO on a case, open or closed, with the key that closes each."""
    with ctx.casefile() as casefile:
        found = casefile.view(reference).evaluation.referrals
    ctx.emit(
        [{"key": r.key, "reason": r.reason, "closed": r.closed} for r in found],
        lambda: (
            "\n".join(
                f"{r.key}  {'open (keeps G1 closed)' if r.closed is None else 'closed: ' + r.closed}"
                f"  {r.reason}"
                for r in found
            )
            or "No referrals."
        ),
    )


@mlro.command(name="close")
@click.argument("reference")
@click.argument("key")
@click.option(
    "--outcome",
    type=click.Choice(["proceed", "decline"]),
    required=True,
    help="proceed: the matter may go on; decline: the firm does not act (G1 stays closed).",
)
@click.option("--reason", "reasoning", required=True, help="What you weighed (restricted).")
@click.option(
    "--suspicion",
    is_flag=True,
    help="It concerns suspicion: the reasoning is kept as an internal report.",
)
@_mlro_passphrase
@common
def mlro_close(
    ctx: Context,
    reference: str,
    key: str,
    outcome: str,
    reasoning: str,
    suspicion: bool,
    passphrase_file: Path | None,
) -> None:
    """Close a referral to the MLRO with an outcome (MLRO only). The matter file says only that
    the MLRO closed it; the reasoning is a restricted record."""
    with ctx.casefile() as casefile:
        closure = casefile.close_referral(
            ctx.actor(),
            reference,
            key,
            "proceed" if outcome == "proceed" else "decline",
            reasoning,
            lambda: _read_mlro_passphrase(passphrase_file),
            suspicion=suspicion,
        )
    ctx.emit(closure.payload(), f"Referral {closure.key} on {reference} closed: {outcome}.")


@click.group()
def reviews() -> None:
    """Ongoing monitoring: risk assessment reviews."""


@reviews.command(name="due")
@click.option("--on", "on", type=DATE, help="As of this date (default today).")
@common
def reviews_due(ctx: Context, on: date | None) -> None:
    """Open cases due for review: the review date has come, or an event reopened the assessment."""
    with ctx.casefile() as casefile:
        due = casefile.reviews_due(on)
    ctx.emit(
        [_summary_data(c) for c in due],
        lambda: (
            "\n".join(
                f"{c.reference}\trating {c.chosen_rating or '-'}\treview {c.next_review or '-'}"
                + (f"\treopened: {'; '.join(c.review_reasons)}" if c.review_reasons else "")
                for c in due
            )
            or "No reviews due."
        ),
    )


@click.group()
def retention() -> None:
    """Retention (MLR reg 40): what is due, legal holds, deletion at the end of the period."""


@retention.command(name="due")
@click.option("--all", "show_all", is_flag=True, help="Also cases whose period has not ended.")
@common
def retention_due(ctx: Context, show_all: bool) -> None:
    """Cases whose five-year retention period has ended (held ones marked)."""
    with ctx.casefile(library=False) as casefile:
        items = [i for i in casefile.retention() if show_all or i.due]
    ctx.emit(
        [
            {
                "reference": i.reference,
                "status": i.status,
                "retention_started": i.retention_started,
                "retention_until": i.retention_until,
                "due": i.due,
                "holds": [{"ground": h.ground, "placed_at": h.placed_at} for h in i.holds],
            }
            for i in items
        ],
        lambda: (
            "\n".join(
                f"{i.reference}\tuntil {i.retention_until}\t{'due' if i.due else 'kept'}"
                + (f"\tHELD ({', '.join(h.ground.value for h in i.holds)})" if i.holds else "")
                for i in items
            )
            or "Nothing is due for deletion."
        ),
    )


@retention.command(name="purge")
@click.argument("reference", required=False)
@click.option("--yes", is_flag=True, help="Do it (without --yes, only list what would go).")
@common
def retention_purge(ctx: Context, reference: str | None, yes: bool) -> None:
    """Delete personal data and evidence of cases past retention (never held ones)."""
    with ctx.casefile() as casefile:
        if not yes:
            items = [
                i
                for i in casefile.retention()
                if i.due and not i.holds and reference in (None, i.reference)
            ]
            ctx.emit(
                {"would_delete": [i.reference for i in items]},
                lambda: (
                    (
                        "Would delete: " + ", ".join(i.reference for i in items)
                        if items
                        else "Nothing to delete."
                    )
                    + " (run again with --yes)"
                ),
            )
            return
        result = casefile.purge(ctx.actor(), reference=reference)
    cleanup = result.cleanup
    ctx.emit(
        {
            "deleted": [{"reference": ref, **d.payload()} for ref, d in result.deleted],
            "held": list(result.held),
            "leftovers_removed": cleanup.payload() if cleanup else None,
        },
        lambda: (
            (
                "\n".join(
                    [
                        *(
                            f"Deleted {ref}: {sum(d.records.values())} records, {d.files} files"
                            for ref, d in result.deleted
                        ),
                        *(f"Kept {ref}: legal hold" for ref in result.held),
                    ]
                )
                or "Nothing was due for deletion."
            )
            + (f"\n{cleaned_text(cleanup)}" if cleanup else "")
        ),
    )


def cleaned_text(cleanup: LeftoverCleanup) -> str:
    """What a clean-up of leftovers removed, in one line."""
    return (
        f"Removed {len(cleanup.files)} file(s) left by interrupted writes ({cleanup.bytes} "
        f"bytes): {', '.join(cleanup.files)}"
    )


@retention.command(name="hold")
@click.argument("reference")
@click.option("--ground", type=_choice(HoldGround), required=True, help="Why it is kept.")
@click.option("--note", help="Details: the enactment, claim number ...")
@common
def retention_hold(ctx: Context, reference: str, ground: str, note: str | None) -> None:
    """Place a legal hold on a case: nothing of it is deleted while it stands."""
    with ctx.casefile() as casefile:
        hold = casefile.hold(ctx.actor(), reference, HoldGround(ground), note)
    ctx.emit(hold.payload(), f"Legal hold on {reference} ({ground}).")


@retention.command(name="release")
@click.argument("reference")
@common
def retention_release(ctx: Context, reference: str) -> None:
    """Release the legal holds on a case."""
    with ctx.casefile() as casefile:
        released = casefile.release(ctx.actor(), reference)
    ctx.emit([h.payload() for h in released], f"Released {len(released)} hold(s) on {reference}.")


@retention.command(name="log")
@common
def retention_log(ctx: Context) -> None:
    """The log of deletions at the end of retention (no personal data)."""
    with ctx.casefile(library=False) as casefile:
        log = casefile.deletions()
    ctx.emit(
        [d.payload() for d in log],
        lambda: (
            "\n".join(
                f"{d.deleted_at:%Y-%m-%d %H:%M} case {d.case_id} by {d.deleted_by}: "
                f"{sum(d.records.values())} records, {d.files} files (retained until "
                f"{d.retention_until})"
                for d in log
            )
            or "No deletions."
        ),
    )


@click.group()
def sales() -> None:
    """An estate agency's sales: the seller's matter and the buyers' matters of one property."""


@sales.command(name="link")
@click.argument("seller")
@click.option("--property", "address", required=True, help="The property's address.")
@common
def sales_link(ctx: Context, seller: str, address: str) -> None:
    """Record the sale of a property from its SELLER matter."""
    with ctx.casefile() as casefile:
        sale = casefile.link_sale(ctx.actor(), seller, address)
    ctx.emit(sale.payload(), f"Sale of {sale.property} recorded from {seller}.")


@sales.command(name="buyer")
@click.argument("seller")
@click.argument("buyer")
@common
def sales_buyer(ctx: Context, seller: str, buyer: str) -> None:
    """Put the BUYER matter (an accepted offer) on the sale of SELLER's property."""
    with ctx.casefile() as casefile:
        link = casefile.add_buyer(ctx.actor(), seller, buyer)
    ctx.emit(link.payload(), f"{buyer} is a buyer on the sale of {seller}'s property.")


@sales.command(name="proceed")
@click.argument("buyer")
@common
def sales_proceed(ctx: Context, buyer: str) -> None:
    """Say that BUYER's purchase is the one going ahead."""
    with ctx.casefile() as casefile:
        link = casefile.proceed_with(ctx.actor(), buyer)
    ctx.emit(link.payload(), f"{buyer} proceeds; the sale's other buyers do not.")


@sales.command(name="show")
@click.argument("reference")
@common
def sales_show(ctx: Context, reference: str) -> None:
    """The sale REFERENCE (either side) is on, both sides with their CDD dates."""
    with ctx.casefile() as casefile:
        view = casefile.sale_view(reference)
    if view is None:
        raise DueDiligenceError(f"{reference} is on no sale (`sales link` records one)")
    ctx.emit(_sale_data(view), lambda: _sale_text(view))


@sales.command(name="list")
@common
def sales_list(ctx: Context) -> None:
    """Every sale with both sides."""
    with ctx.casefile() as casefile:
        found = casefile.sales()
    ctx.emit(
        [_sale_data(v) for v in found],
        lambda: "\n\n".join(_sale_text(v) for v in found) or "No sales.",
    )


def _sale_data(view: SaleView) -> dict[str, Any]:
    return {
        "sale": view.sale.payload(),
        "sides": [jsonable(dataclasses.asdict(side)) for side in view.sides],
    }


def _sale_text(view: SaleView) -> str:
    lines = [f"Sale of {view.sale.property}"]
    for side in view.sides:
        lines.append(f"  {sale_side_line(side)}")
    return "\n".join(lines)


@click.command(name="sign-off")
@click.argument("reference")
@common
def sign_off(ctx: Context, reference: str) -> None:
    """Sign the matter's checklists off as you, now (a later change to the record reopens it)."""
    with ctx.casefile() as casefile:
        written = casefile.sign_off(ctx.actor(), reference)
    ctx.emit(
        [w.payload() for w in written],
        f"Signed off {reference}: "
        + "; ".join(f"{w.question_key} = {display_answer(w.value)}" for w in written)
        + ".",
    )


COMMANDS: tuple[click.Command, ...] = (
    init,
    migrate,
    store,
    users,
    cases,
    parties,
    answer,
    sign_off,
    sales,
    events,
    evidence,
    approve,
    request_approvals,
    override,
    verify,
    firm,
    mlro,
    reviews,
    retention,
    maintenance,
)
"""Registered on the `duediligence` group in `cli/__init__.py`."""
