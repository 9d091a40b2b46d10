"""Where the TUI writes a rendered audit file: a folder beside the case file, a name that
differs for every reference and every render, never an earlier file overwritten."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from duediligence.tui.render import output_path, renders_dir

AT = datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC)


def test_renders_go_in_a_folder_beside_the_store(tmp_path: Path) -> None:
    store = tmp_path / "casefile.sqlite3"
    path = output_path(store, "EX-0001", AT)
    assert path.parent == renders_dir(store) == tmp_path / "casefile.sqlite3.renders"
    assert path.name.startswith("EX-0001-") and path.name.endswith(
        "-audit-file-20260302T093005Z.pdf"
    )


def test_references_that_look_alike_never_share_a_file(tmp_path: Path) -> None:
    store = tmp_path / "casefile.sqlite3"
    names = {output_path(store, ref, AT).name for ref in ("A/B", "A-B", "A B", "a/b", "../A")}
    assert len(names) == 5
    assert all("/" not in n and not n.startswith(".") for n in names)


def test_an_existing_render_is_never_overwritten(tmp_path: Path) -> None:
    store = tmp_path / "casefile.sqlite3"
    first = output_path(store, "EX-0001", AT)
    first.parent.mkdir()
    first.write_bytes(b"%PDF earlier")
    second = output_path(store, "EX-0001", AT)
    assert second != first and second.name.endswith("-2.pdf")
    later = output_path(store, "EX-0001", datetime(2026, 3, 2, 9, 31, tzinfo=UTC))
    assert later != first and later.name.endswith("T093100Z.pdf")
