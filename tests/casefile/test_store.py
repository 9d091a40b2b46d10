"""The SQLite store itself: migrations on open, WAL and foreign keys, private file."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.locations import evidence_dir
from duediligence.adapters.store import SqlStore, StoreError
from duediligence.domain.case import Actor, Case, FirmProfile, Person, Supervisor
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import ClientType, FirmRole, Role
from duediligence.services.casefile import CaseFile
from duediligence.services.verify import verify
from tests.casefile.conftest import FixedClock


def _heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from duediligence.adapters.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return list(ScriptDirectory.from_config(config).get_heads())


def test_the_migrations_have_one_head() -> None:
    assert len(_heads()) == 1


def test_the_head_the_store_skips_alembic_for_is_the_real_head() -> None:
    # A new migration must move HEAD_REVISION, or stores at the old head would never get it.
    from duediligence.adapters.store import HEAD_REVISION

    assert _heads() == [HEAD_REVISION]


def test_a_store_behind_head_is_still_migrated(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from duediligence.adapters.store import MIGRATIONS, _sqlite_engine

    path = tmp_path / "s.sqlite3"
    # As the release before the newest migration left it.
    engine = _sqlite_engine(path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    engine.dispose()
    SqlStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (_heads()[0],)
        ]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "approval_requests" in tables


def test_opening_migrates_to_head_once(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    SqlStore(path).close()
    SqlStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (_heads()[0],)
        ]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cases", "answers", "evidence", "approvals", "audit_events"} <= tables
    assert {"mlro_records", "legal_holds", "deletions", "case_summaries"} <= tables
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_connections_use_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = SqlStore(tmp_path / "s.sqlite3")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "photo.jpg"
    bogus.write_bytes(b"\xff\xd8\xff" + b"\x00" * 4096)
    with pytest.raises(StoreError, match="is not a case-file store"):
        SqlStore(bogus)
    with pytest.raises(StoreError, match="is a directory"):
        SqlStore(tmp_path)


def test_a_store_from_the_first_revision_upgrades_and_still_verifies(
    tmp_path: Path, library: ChecklistLibrary
) -> None:
    from alembic import command
    from alembic.config import Config

    from duediligence.adapters.store import MIGRATIONS, SqlSession, _sqlite_engine

    path = tmp_path / "old.sqlite3"
    engine = _sqlite_engine(path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    now = datetime(2026, 3, 1, tzinfo=UTC)
    with engine.begin() as conn:
        tx = SqlSession(conn)
        who = Actor(user="bob", os_user="tester")
        tx.add(
            FirmProfile(
                name="Old LLP", supervisor=Supervisor.SRA, fwra_version="1", fwra_date=now.date()
            ),
            actor=who,
            role="senior_manager",
            action="firm.init",
        )
        tx.add(
            Person(id="bob", name="Bob", roles=(Role.SENIOR_MANAGER,), trained_on=now.date()),
            actor=who,
            role="senior_manager",
            action="person.add",
        )
        tx.add(
            Case(
                id="c" * 32, reference="OLD-1", firm_role=FirmRole.SOLICITOR,
                matter_type="residential_purchase", acting_for="buyer",
                client_type=ClientType.INDIVIDUAL, responsible="bob", opened_at=now,
                opened_by="bob",
            ),
            actor=who, role="senior_manager", action="case.open",
        )  # fmt: skip
    engine.dispose()
    store = SqlStore(path)  # migrates to head
    try:
        blobs = BlobDirectory(evidence_dir(path))
        casefile = CaseFile(store, blobs, library, FixedClock())
        assert verify(store, blobs).ok
        (row,) = casefile.summaries()  # the listing row is made on first listing
        assert (row.reference, row.status) == ("OLD-1", "open")
        assert casefile.firm().fwra_approver is None  # type: ignore[union-attr]
        assert verify(store, blobs).ok
    finally:
        store.close()
