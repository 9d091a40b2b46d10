"""Every path the program uses comes from here; tests redirect directories, never patch code.

Bundled data (checklists, templates) lives in the wheel under `duediligence/_bundled/`; in a
source checkout (editable install) it is the project's top-level folders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


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


def store_dir(store_path: Path) -> Path:
    """The directory holding a store file (created 0700 when missing; an existing directory the
    user chose is left as it is)."""
    parent = store_path.resolve().parent
    if not parent.is_dir():
        return _private_dir(parent)
    return parent


def evidence_dir(store_path: Path) -> Path:
    """The evidence blob directory beside a store file: `<store>.evidence/` (created, 0700)."""
    resolved = store_path.resolve()
    return _private_dir(resolved.with_name(resolved.name + ".evidence"))


def lists_dir(store_path: Path) -> Path:
    """The list-file blob directory beside a store file: `<store>.lists/` (created, 0700)."""
    resolved = store_path.resolve()
    return _private_dir(resolved.with_name(resolved.name + ".lists"))


def keys_dir(store_path: Path) -> Path:
    """Where the firm's encrypted signing key lives: `<store>.keys/` beside the store file,
    never inside it (not created here: `keys init` creates it, private)."""
    resolved = store_path.resolve()
    return resolved.with_name(resolved.name + ".keys")


def own_paths(store_path: Path) -> tuple[Path, ...]:
    """The store file, its SQLite companions and its own folders: never evidence."""
    resolved = store_path.resolve()
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
