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
