"""The domain stays pure: importing it loads no UI, storage, templating or PDF library.

Run in a fresh interpreter, because other tests in this process may have imported them already.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("textual", "sqlalchemy", "jinja2", "weasyprint", "click")

DOMAIN_MODULES = (
    "duediligence.domain.checklist",
    "duediligence.domain.evaluation",
    "duediligence.domain.validation",
    "duediligence.domain.answers",
    "duediligence.domain.describe",
    "duediligence.domain.schema",
    "duediligence.domain.library",
    "duediligence.domain.citations",
    "duediligence.domain.iso",
    "duediligence.domain.vocabulary",
    "duediligence.domain.errors",
)


def _loaded_after_import(modules: tuple[str, ...]) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded: list[str] = json.loads(out)
    return loaded


def test_domain_imports_no_ui_storage_template_or_pdf_library() -> None:
    assert _loaded_after_import(DOMAIN_MODULES) == []


def test_the_check_itself_can_fail() -> None:
    # Guards the test above against passing vacuously: click is caught when it is imported.
    assert "click" in _loaded_after_import(("duediligence.cli.checklists",))
