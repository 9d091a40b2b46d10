"""Every path the program uses comes from here; tests redirect directories, never patch code.

Bundled data (checklists, templates) lives in the wheel under `duediligence/_bundled/`; in a
source checkout (editable install) it is the project's top-level folders.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DATABASE_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
"""How a `--store` (or `store` setting) that names a PostgreSQL database begins."""

_PASSWORD = re.compile(r"(://[^:/@?#]*):[^@/?#]*@")


@dataclass(frozen=True)
class DatabaseUrl:
    """A case file kept in a PostgreSQL database (a firm's shared store), by its address.

    Printed without its password. Its files that are not in the database (screening list
    snapshots and their index, the signing key, rendered audit files) live in a local folder
    named after it (`local_path`)."""

    url: str
    """The address as given, e.g. `postgresql://alice@db.firm.local/casefile`."""

    def __str__(self) -> str:
        return _PASSWORD.sub(r"\1:***@", self.url)

    def engine_url(self) -> str:
        """The address for SQLAlchemy with the psycopg 3 driver."""
        return "postgresql+psycopg://" + self.url.split("://", 1)[1]


StoreLocation = Path | DatabaseUrl
"""Where a case file is: a SQLite file (the embedded default) or a PostgreSQL database."""


def store_location(text: str | Path) -> StoreLocation:
    """A `--store` value read: a database address when it starts with a PostgreSQL scheme,
    otherwise a path (a file name that merely contains `://` stays a path)."""
    if isinstance(text, str) and text.startswith(DATABASE_SCHEMES):
        return DatabaseUrl(text)
    return Path(text)


def shown_store(store: StoreLocation) -> str:
    """A store as shown to the user: the file's full path, or the address without password."""
    return str(store.expanduser().absolute()) if isinstance(store, Path) else str(store)


def local_path(store: StoreLocation) -> Path:
    """The local stand-in for a store's companion folders: the SQLite file itself, or for a
    database a name in the platform data directory unique to its address (password left out)."""
    if isinstance(store, Path):
        return store
    shown = str(store)
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", shown.split("://", 1)[1]).strip("-.")[:60]
    digest = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:12]
    return data_dir() / "postgresql" / f"{readable or 'database'}-{digest}"


def _bundled(name: str) -> Path:
    packaged = Path(str(resources.files("duediligence"))) / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def bundled_checklists_dir() -> Path:
    """The checklists shipped with the program."""
    return _bundled("checklists")


def bundled_templates_dir() -> Path:
    """The report templates shipped with the program."""
    return _bundled("templates")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def data_dir() -> Path:
    """The platform data directory for the case file (created, mode 0700).

    Tests never reach it: they pass `--store` on a temporary path or redirect XDG_DATA_HOME.
    """
    import platformdirs

    return _private_dir(platformdirs.user_data_path("duediligence", appauthor=False))


def default_store_path() -> Path:
    """The case-file database used when neither `--store` nor DUEDILIGENCE_STORE is given."""
    return data_dir() / "casefile.sqlite3"


def store_dir(store: StoreLocation) -> Path:
    """The directory holding a store file (created 0700 when missing; an existing directory the
    user chose is left as it is)."""
    parent = local_path(store).resolve().parent
    if not parent.is_dir():
        return _private_dir(parent)
    return parent


def evidence_dir(store: StoreLocation) -> Path:
    """The evidence blob directory beside a store file: `<store>.evidence/` (created, 0700)."""
    resolved = local_path(store).resolve()
    return _private_dir(resolved.with_name(resolved.name + ".evidence"))


def lists_dir(store: StoreLocation) -> Path:
    """The list-file blob directory beside a store file: `<store>.lists/` (created, 0700)."""
    resolved = local_path(store).resolve()
    return _private_dir(resolved.with_name(resolved.name + ".lists"))


def keys_dir(store: StoreLocation) -> Path:
    """Where the firm's encrypted signing key lives: `<store>.keys/` beside the store file,
    never inside it (not created here: `keys init` creates it, private)."""
    resolved = local_path(store).resolve()
    return resolved.with_name(resolved.name + ".keys")


def own_paths(store: StoreLocation) -> tuple[Path, ...]:
    """The store file, its SQLite companions and its own folders: never evidence."""
    resolved = local_path(store).resolve()
    return (
        resolved,
        *(resolved.with_name(resolved.name + suffix) for suffix in ("-wal", "-shm", "-journal")),
        *(
            resolved.with_name(resolved.name + suffix)
            for suffix in (".evidence", ".lists", ".renders", ".keys")
        ),
    )


def config_file() -> Path:
    """The user's settings file (`config.toml` in the platform config directory; not created)."""
    import platformdirs

    return platformdirs.user_config_path("duediligence", appauthor=False) / "config.toml"
