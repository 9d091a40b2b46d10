"""A PostgreSQL server for the tests, started from the Debian package's binaries (issue 19).

One server per test session (per xdist worker), in its own temporary folder and listening only
on a Unix socket there, so workers never clash over a port. PostgreSQL refuses to run as root:
as root the server runs as `nobody` (its folder handed over to it); otherwise as whoever runs
the tests. A migrated template database is made once; each test gets a fresh copy of it
(`CREATE DATABASE ... TEMPLATE`), which costs a few tens of milliseconds where migrating would
cost a second.

Durability is switched off (fsync, full-page writes): a test server lost in a crash is simply
made again.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
"""The Debian package's server programs (`scripts/system-deps test` installs `postgresql`)."""

SUPERUSER = "postgres"
"""The server's first role, made by initdb: it owns the case-file schema in the tests."""

TEMPLATE = "casefile_template"


_PREFIX = "duediligence-pg-"


def _stop_abandoned() -> None:
    """Stop and remove the servers of test sessions that were killed before they could."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        try:
            owner = int((folder / "owner").read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
            continue  # its session is still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        subprocess.run(
            [*_as_server_user(), str(BIN / "pg_ctl"), "-D", str(folder / "data"), "-m",
             "immediate", "-w", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def _as_server_user() -> list[str]:
    """The prefix that runs a command as the account the server runs as."""
    return ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []


class PostgresServer:
    """A running test server; `stop()` removes it whole."""

    def __init__(self) -> None:
        _stop_abandoned()
        # Under the system temporary folder, not pytest's (root's is private: nobody could not
        # reach its own socket there).
        self.folder = Path(tempfile.mkdtemp(prefix=_PREFIX))
        # Which test process owns it: a session killed midway leaves a server the next finds.
        (self.folder / "owner").write_text(str(os.getpid()))
        self.folder.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "nobody", "nogroup")
        self.data = self.folder / "data"
        self._names = itertools.count(1)
        run = _as_server_user()
        subprocess.run(
            [*run, str(BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
             "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
            "-c synchronous_commit=off -c max_connections=200 -c shared_buffers=32MB"
        )
        subprocess.run(
            [*run, str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
             "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start"],
            check=True, capture_output=True,
        )  # fmt: skip
        import psycopg

        # One administrator's connection kept open: making a database is then one statement.
        self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        self._admin.execute(f"CREATE DATABASE {TEMPLATE}")
        self._migrate_template()

    def url(self, database: str, role: str = SUPERUSER) -> str:
        """The address of a database on this server, connecting as `role` over the socket."""
        return f"postgresql://{role}@/{database}?host={self.folder}"

    def psql(
        self, sql: str, *, database: str = "postgres", role: str = SUPERUSER, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run SQL with the real `psql` client, as `role` (stops at the first error)."""
        return subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.folder), "-U", role,
             "-d", database, "-At", "-c", sql],
            check=check, capture_output=True, text=True,
        )  # fmt: skip

    def _migrate_template(self) -> None:
        from duediligence.adapters.locations import DatabaseUrl
        from duediligence.adapters.store import SqlStore

        SqlStore(DatabaseUrl(self.url(TEMPLATE)), create=True).close()

    def new_database(self, *, empty: bool = False) -> str:
        """A new database, a copy of the migrated template (or empty); returns its name."""
        name = f"casefile_{os.getpid()}_{next(self._names)}"
        template = "template0" if empty else TEMPLATE
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return name

    def stop(self) -> None:
        self._admin.close()
        subprocess.run(
            [*_as_server_user(), str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
             "-w", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
