"""Open the case file: the one assembly of store, blob store, checklist library and clock.

Both composition roots (the CLI and the TUI) build a `CaseFile` the same way; this module holds
that assembly so it is written once. It sits outside the layers (it wires `adapters` into
`services`), imports no UI library, and opens nothing at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import (
    DatabaseUrl,
    StoreLocation,
    evidence_dir,
    keys_dir,
    lists_dir,
    own_paths,
    store_dir,
)
from duediligence.config import Settings
from duediligence.domain.case import Actor, Party, Person
from duediligence.domain.evaluation import RiskPolicy
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.monitoring import CasePolicy
from duediligence.domain.vocabulary import Rating
from duediligence.services.casefile import CaseFile
from duediligence.services.ports import CaseStore, Clock, PartyScreener, Session

if TYPE_CHECKING:
    from duediligence.services.screening import ScreeningService


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class OpenCaseFile:
    """A case file opened on a store path; close it (or use it as a context manager) when done."""

    casefile: CaseFile
    """The use cases over the opened store."""
    store_path: StoreLocation
    """Where the database is: a SQLite file or a PostgreSQL database's address."""

    def close(self) -> None:
        """Release the store's connections."""
        close = getattr(self.casefile.store, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> OpenCaseFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def screening(self) -> ScreeningService:
        """The screening use cases over this store (lists, re-screens, hits, dispositions),
        shared with the case file's party screening; the matters listing follows its changes."""
        screener = self.casefile.screener
        if not isinstance(screener, _LazyScreener):  # pragma: no cover - always set on open
            raise TypeError("the case file was opened without screening")
        return screener.service()


class _LazyScreener:
    """Screens each new party against the stored lists; the screening engine is imported on the
    first party added, not when the case file opens (the TUI starts faster)."""

    def __init__(
        self,
        store: CaseStore,
        store_path: StoreLocation,
        clock: Clock,
        max_age_days: int,
        after_change: Callable[[Session, str], None] | None = None,
        max_list_bytes: int = 1024 * 1024 * 1024,
        shrink_max_percent: int = 10,
        require_binding: bool = True,
    ) -> None:
        self._args = (store, store_path, clock, max_age_days, max_list_bytes, shrink_max_percent)
        self._require_binding = require_binding
        self._after_change = after_change
        self._service: ScreeningService | None = None

    def service(self) -> ScreeningService:
        """The screening service (built on first use)."""
        if self._service is None:
            from duediligence.services.screening import ScreeningService

            store, store_path, clock, max_age_days, max_list_bytes, shrink = self._args
            self._service = ScreeningService(
                store,
                BlobDirectory(lists_dir(store_path)),
                clock,
                max_age_days=max_age_days,
                max_list_bytes=max_list_bytes,
                # The built index persisted beside the list snapshots: a cold `screen` reads it.
                index_dir=lists_dir(store_path) / "index",
                shrink_max_percent=shrink,
                require_binding=self._require_binding,
            )
            self._service.after_change = self._after_change
        return self._service

    def _engine(self) -> PartyScreener:
        return self.service()

    def prepare(self) -> None:
        self._engine().prepare()

    def screen_new_party(self, tx: Session, actor: Actor, role: str, party: Party) -> None:
        self._engine().screen_new_party(tx, actor, role, party)


def bind_database_role(opened: OpenCaseFile, person: Person, role: str | None) -> str | None:
    """On a PostgreSQL case file, make `person` the person of a database role (`role`, else
    their id), created when missing; returns it. A SQLite case file has no roles: None."""
    from duediligence.adapters.store import SqlStore

    store = opened.casefile.store
    if not isinstance(opened.store_path, DatabaseUrl) or not isinstance(store, SqlStore):
        return None
    return store.bind_database_role(person.id, [r.value for r in person.roles], role)


def copy_store(source: StoreLocation, target: StoreLocation) -> tuple[int, int, str]:
    """Copy a case file whole into an empty one (`duediligence store copy`, e.g. a firm moving
    its SQLite file to PostgreSQL): every row as it is, the evidence and list files, the signing
    key; then verify the copy through the services and compare its chain head with the
    source's. Returns (rows, files, chain head); raises DueDiligenceError when the copy is not
    the same case file."""
    import shutil

    from duediligence.adapters.store import SqlStore, StoreError, copy_rows
    from duediligence.services.verify import verify

    if isinstance(source, Path) and not source.is_file():
        raise StoreError(f"there is no case file at {source}")
    store_dir(target)
    old = SqlStore(source, create=False)
    new = SqlStore(target, create=True)
    try:
        rows = copy_rows(old, new)
        files = 0
        for folder in (evidence_dir, lists_dir):
            into = folder(target)
            for found in BlobDirectory(folder(source)).files():
                if found.sha256 is None:
                    continue  # a write killed midway: not part of the case file
                shutil.copyfile(folder(source) / found.name, into / found.name)
                (into / found.name).chmod(0o600)
                files += 1
        if keys_dir(source).is_dir():
            shutil.copytree(keys_dir(source), keys_dir(target), dirs_exist_ok=True)
        with old.transaction() as tx:
            expected = tx.chain_head()
        report = verify(new, BlobDirectory(evidence_dir(target)))
    finally:
        old.close()
        new.close()
    if not report.ok or report.head_sha256 != expected:
        problems = "; ".join(str(p) for p in report.problems[:5]) or "the chain head differs"
        raise StoreError(f"the copy in {target} does not verify: {problems}")
    return rows, files, report.head_sha256


def migrate_store(store_path: StoreLocation) -> tuple[str | None, str]:
    """Bring a case file's schema to this program's revision (`duediligence migrate`, the
    administrator's command; a new database gets the whole schema). Returns the revisions
    before and after."""
    from duediligence.adapters.store import HEAD_REVISION, SqlStore

    store_dir(store_path)
    store = SqlStore(store_path, create=True, migrate=True)
    store.close()
    return store.revision_found, HEAD_REVISION


def policy_of(settings: Settings) -> CasePolicy:
    """The firm policy the case-file services apply, from the settings."""
    months = settings.review_months
    return CasePolicy(
        risk=RiskPolicy(medium_from=settings.risk_medium_from, high_from=settings.risk_high_from),
        review_months={
            Rating.HIGH: months.high,
            Rating.MEDIUM: months.medium,
            Rating.LOW: months.low,
        },
        pep_review_after_office_months=settings.pep_review_after_office_months,
        allow_self_approval=settings.allow_self_approval,
        fwra_valid_months=settings.fwra_valid_months,
        require_binding=settings.require_bound_approvers,
        funds_tolerance_percent=settings.funds_tolerance_percent,
        funds_tolerance_amount=settings.funds_tolerance_amount,
    )


def open_casefile(
    store_path: StoreLocation,
    *,
    create: bool = True,
    settings: Settings | None = None,
    checklist_paths: Sequence[Path] = (),
    library: ChecklistLibrary | None = None,
    clock: Clock | None = None,
) -> OpenCaseFile:
    """Open (creating when missing) the store at `store_path` with its evidence directory, the
    firm policy from `settings`, and party screening against the stored lists. A PostgreSQL
    database without a case file is given one only when `create` (`init`, the TUI's set-up).

    Raises `DueDiligenceError` (StoreError, InvalidChecklist) naming the file at fault.
    """
    store_dir(store_path)
    # Imported here so that callers that never open a store do not pay for SQLAlchemy/Alembic.
    from duediligence.adapters.store import SqlStore

    clock = clock or SystemClock()
    # The audit trail is stamped by the same clock as the records it chains: one time per process.
    store = SqlStore(store_path, now=clock.now, create=create)
    try:
        blobs = BlobDirectory(evidence_dir(store_path))
        paths = list(checklist_paths or (settings.checklists if settings else ()))
        checklists = library if library is not None else load_library(paths or None)
        chosen = settings or Settings()
        casefile = CaseFile(
            store,
            blobs,
            checklists,
            clock,
            policy_of(chosen),
            list_blobs=BlobDirectory(lists_dir(store_path)),
        )
        casefile.key_dir = keys_dir(store_path)
        casefile.protected = own_paths(store_path)
        casefile.screener = _LazyScreener(
            store,
            store_path,
            casefile.clock,
            chosen.list_max_age_days,
            casefile._refresh,  # re-screens and dispositions refresh the matters listing
            max_list_bytes=chosen.list_max_mb * 1024 * 1024,
            shrink_max_percent=chosen.list_shrink_max_percent,
            require_binding=chosen.require_bound_approvers,
        )
    except BaseException:
        store.close()
        raise
    return OpenCaseFile(casefile, store_path)
