"""Outputs never destroy anything: not the case file, not a file that was there, not a device.

Before, `cases export --output STORE`, `render -o STORE`, `screen --batch F --output STORE` and
`match --pairs F --output STORE` overwrote the live case file and exited 0, and a failing
`screen --batch` truncated its output file first.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.hostile.harness import Hostile

SAMPLE_LIST = PROJECT / "tests" / "data" / "screening" / "uksl_sample.csv"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pairs(folder: Path) -> Path:
    pairs = folder / "pairs.csv"
    pairs.write_text("schema,name1,name2\nPerson,Ivan Petrov,Ivan Petrov\n", encoding="utf-8")
    return pairs


def _batch(folder: Path, broken: bool = False) -> Path:
    batch = folder / "people.csv"
    rows = "full_name,first_name,middle_name,last_name,gender,date_of_birth,place_of_birth,nationality\n"
    rows += "Ivan Petrov,,,,,,,GB\n"
    if broken:
        rows += "Anna Smith,,,,,2024-02-30,,GB\n"
    batch.write_text(rows, encoding="utf-8")
    return batch


def _writers(hostile: Hostile, target: Path) -> list[tuple[str, ...]]:
    home = hostile.home
    return [
        ("cases", "export", "M-1", "--output", str(target)),
        ("render", "M-1", "-o", str(target), "--quiet"),
        (
            "screen",
            "--batch",
            str(_batch(home)),
            "--list",
            f"uksl-csv:{SAMPLE_LIST}",
            "--output",
            str(target),
        ),
        ("match", "--pairs", str(_pairs(home)), "--output", str(target)),
    ]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_no_command_writes_over_the_case_file_or_its_journal(hostile: Hostile, suffix: str) -> None:
    target = hostile.store.with_name(hostile.store.name + suffix)
    before = target.read_bytes() if target.exists() else None
    for args in _writers(hostile, target):
        hostile.refused(*args, message="is the case file (or its journal)")
        if not suffix:  # SQLite itself makes and empties its -wal and -shm files
            assert target.read_bytes() == before
    hostile.verify_clean()


def test_no_command_writes_inside_the_evidence_folder(hostile: Hostile) -> None:
    folder = hostile.store.with_name(hostile.store.name + ".evidence")
    blob = next(p for p in folder.iterdir() if len(p.name) == 64)
    for args in _writers(hostile, blob):
        hostile.refused(*args, message="is inside the case file's evidence folder")
    new = folder / "new.pdf"
    hostile.refused(*_writers(hostile, new)[0], message="inside the case file's evidence folder")
    assert not new.exists()
    hostile.verify_clean()


def test_a_symlink_to_the_case_file_is_the_case_file(hostile: Hostile) -> None:
    link = hostile.home / "innocent.json"
    link.symlink_to(hostile.store)
    hostile.refused(*_writers(hostile, link)[0], message="is the case file")


def test_an_existing_file_is_replaced_only_with_force(hostile: Hostile) -> None:
    for args in _writers(hostile, hostile.home / "out.file"):
        flag = "--output" if "--output" in args else "-o"
        target = Path(args[args.index(flag) + 1])
        target.write_bytes(b"what was there")
        hostile.refused(*args, message="exists; give --force to replace it")
        assert target.read_bytes() == b"what was there"
        done = hostile.run(*args, "--force")
        assert done.code == 0, done.output
        assert target.read_bytes() != b"what was there"
        # Outputs hold personal data: private like the case file.
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        target.unlink()
    assert [p.name for p in hostile.home.iterdir() if ".partial" in p.name] == []


def test_devices_folders_and_missing_folders_are_refused(hostile: Hostile) -> None:
    for target, message, code in (
        (Path("/dev/full"), "is not a regular file", 1),
        (Path("/dev/null"), "is not a regular file", 1),
        (hostile.home, "is a directory", 2),  # click's own check on the option
        (hostile.home / "no-such-folder" / "out.pdf", "does not exist", 1),
    ):
        for args in _writers(hostile, target):
            hostile.refused(*args, message=message, code=code)


def test_a_failing_batch_leaves_the_file_that_was_there_untouched(hostile: Hostile) -> None:
    target = hostile.home / "results.csv"
    target.write_bytes(b"yesterday's results\n")
    before = _digest(target)
    batch = _batch(hostile.home, broken=True)
    run = hostile.run(
        "screen", "--batch", str(batch), "--list", f"uksl-csv:{SAMPLE_LIST}",
        "--output", str(target), "--force",
    )  # fmt: skip
    assert run.code != 0
    assert _digest(target) == before
    assert sorted(p.name for p in hostile.home.iterdir() if p.name.startswith(".")) == []


def test_standard_output_to_a_full_device_is_a_message(hostile: Hostile) -> None:
    with open("/dev/full", "wb") as full:
        for args in (("cases", "list"), ("cases", "export", "M-1"), ("checklists", "list")):
            run = hostile.run(*args, stdout=full)
            assert run.code == 1, run.err
            assert "the output cannot be written (No space left on device)" in run.err
    assert os.path.exists(hostile.store)
