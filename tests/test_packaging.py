"""The wheel carries the bundled checklists and templates, and nothing else from those folders.

hatchling's force-include copies whatever is in the folders, so the wheel is compared file for file
with the folders on disk.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import PROJECT

BUNDLED = ("checklists", "templates")


def _build_wheel(out: Path) -> Path:
    hatchling = Path(sys.executable).with_name("hatchling")
    subprocess.run(
        [str(hatchling), "build", "-t", "wheel", "-d", str(out)],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def _on_disk(folder: str) -> set[str]:
    root = PROJECT / folder
    return {
        f"duediligence/_bundled/{folder}/{p.relative_to(root).as_posix()}"
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_wheel_bundles_checklists_and_templates(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in BUNDLED:
        expected = _on_disk(folder)
        inside = {n for n in names if n.startswith(f"duediligence/_bundled/{folder}/")}
        assert expected, f"{folder}/ is empty"
        assert inside == expected
    assert "duediligence/_bundled/checklists/checklist.schema.json" in names
    assert any(n.endswith("solicitor-cdd.toml") for n in names)
    assert "duediligence/domain/checklist.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_layout_is_found_by_importlib_resources(tmp_path: Path) -> None:
    # Unpack the wheel and import from it alone: the loader must find the bundled checklists
    # through importlib.resources, not through the source checkout.
    wheel = _build_wheel(tmp_path / "dist")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from duediligence.adapters.locations import bundled_checklists_dir\n"
        "from duediligence.adapters.checklists_toml import load_library\n"
        "print(bundled_checklists_dir()); print(len(load_library().checklists))\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(site)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0].startswith(str(site))
    assert int(out[1]) >= 6
