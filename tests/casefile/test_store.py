"""The SQLite store itself: migrations on open, WAL and foreign keys, private file."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from duediligence.adapters.store import SqlStore, StoreError


def _heads() -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from duediligence.adapters.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return list(ScriptDirectory.from_config(config).get_heads())


def test_the_migrations_have_one_head() -> None:
    assert len(_heads()) == 1


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
