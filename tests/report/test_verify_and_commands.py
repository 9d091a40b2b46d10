"""verify-pdf on a fresh and a tampered file; the render command and the TUI's child-process
entry; template errors and firm overrides; the fetcher's rules."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from duediligence.cli import main
from duediligence.report import ReportError
from duediligence.report.html import render_html
from duediligence.report.pdf import AssetRefused, _allowed_path, asset_roots, render_pdf
from duediligence.report.verify_pdf import verify_audit_pdf
from duediligence.report.view import AuditFile, build, gather
from tests.report.conftest import Rendered


def _tamper(source: Path, target: Path, name: str) -> None:
    """Change one byte of one embedded file, keeping the PDF otherwise valid."""
    writer = PdfWriter(clone_from=PdfReader(source))
    root: Any = writer.root_object
    names = root["/Names"]["/EmbeddedFiles"].get_object()["/Names"]
    for i in range(0, len(names), 2):
        if names[i] == name:
            stream = names[i + 1].get_object()["/EF"]["/F"].get_object()
            data = stream.get_data()
            stream.set_data(bytes([data[0] ^ 0x01]) + data[1:])
            break
    else:
        raise AssertionError(f"{name} not embedded")
    with target.open("wb") as handle:
        writer.write(handle)


def test_verify_pdf_passes_on_a_fresh_file(example: Rendered) -> None:
    check = verify_audit_pdf(example.path)
    assert check.ok, check.problems
    assert check.files == 15  # 15 distinct files (three are filed under two questions)
    result = CliRunner().invoke(main, ["verify-pdf", str(example.path)])
    assert result.exit_code == 0, result.output
    assert "15 embedded files checked" in result.output


def test_verify_pdf_names_the_file_whose_byte_changed(example: Rendered, tmp_path: Path) -> None:
    name = "E002-utility-bill-almaty.pdf"
    tampered = tmp_path / "tampered.pdf"
    _tamper(example.path, tampered, name)
    result = CliRunner().invoke(main, ["verify-pdf", str(tampered)])
    assert result.exit_code == 1
    assert f"{name}: SHA-256" in result.output
    assert "does not match the manifest" in result.output
    others = [p for p in verify_audit_pdf(tampered).problems if not p.startswith(name)]
    assert others == []


def test_verify_pdf_refuses_a_pdf_that_is_not_ours(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    with plain.open("wb") as handle:
        writer.write(handle)
    result = CliRunner().invoke(main, ["verify-pdf", str(plain)])
    assert result.exit_code == 1
    assert "not a duediligence audit file" in result.output


def test_render_command_writes_a_file_that_verifies(example: Rendered, tmp_path: Path) -> None:
    assert example.store_path is not None
    target = tmp_path / "cli.pdf"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "HV/2026/0147",
            "-o",
            str(target),
            "--store",
            str(example.store_path),
            "--as",
            "priya",
        ],
        env={"DUEDILIGENCE_CONFIG": str(tmp_path / "none.toml")},
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    assert verify_audit_pdf(target).ok


def test_child_process_entry_reports_progress_as_json_lines(
    example: Rendered, tmp_path: Path
) -> None:
    assert example.store_path is not None
    target = tmp_path / "child.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "duediligence.report",
            "HV/2026/0147",
            "-o",
            str(target),
            "--store",
            str(example.store_path),
            "--as",
            "priya",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    fractions = [line["progress"] for line in lines if "progress" in line]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("Laying out page" in line.get("message", "") for line in lines)
    assert lines[-1]["done"] is True and lines[-1]["path"] == str(target)
    assert target.is_file()


def test_child_process_entry_reports_errors_as_json(example: Rendered, tmp_path: Path) -> None:
    assert example.store_path is not None
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "duediligence.report",
            "NO-SUCH",
            "-o",
            str(tmp_path / "x.pdf"),
            "--store",
            str(example.store_path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stderr.splitlines()[-1]) == {"error": "no case 'NO-SUCH'"}


@pytest.fixture
def audit(example: Rendered) -> AuditFile:
    return build(gather(example.casefile, "HV/2026/0147", generated_by="priya"))


def test_an_undefined_template_variable_fails_loudly(audit: AuditFile, tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "12_retention.html").write_text("<p>{{ audit.no_such_field }}</p>")
    with pytest.raises(ReportError, match=r"12_retention\.html.*no_such_field"):
        render_html(audit, firm_templates=tmp_path)


def test_a_firm_template_overrides_the_bundled_one(audit: AuditFile, tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "12_retention.html").write_text(
        "<section><h2>12. Kept</h2><p>Firm retention: {{ audit.retention.until }}</p></section>"
    )
    html = render_html(audit, firm_templates=tmp_path)
    assert "Firm retention: 2031-03-27" in html
    assert "1. Cover" in html  # the rest is still bundled


def test_a_firm_template_cannot_reach_local_files(audit: AuditFile, tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "12_retention.html").write_text('<img src="file:///etc/passwd">')
    html = render_html(audit, firm_templates=tmp_path)
    target = tmp_path / "out.pdf"
    log: list[str] = []
    with pytest.raises(AssetRefused, match="/etc/passwd"):
        render_pdf(html, audit, target, [], firm_templates=tmp_path, fetch_log=log)
    assert "file:///etc/passwd" in log
    assert not target.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_fetcher_rules(tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    (firm / "css").mkdir(parents=True)
    (firm / "css" / "print.css").write_text("body { color: black }")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    roots = asset_roots(firm)
    bundled = roots[-1]
    css = (bundled / "css" / "print.css").as_uri()
    font = (bundled / "fonts" / "DejaVuSans.ttf").as_uri()
    assert _allowed_path(font, roots, logo) == bundled / "fonts" / "DejaVuSans.ttf"
    assert _allowed_path(css, roots, logo) == (firm / "css" / "print.css").resolve()
    assert _allowed_path(logo.as_uri(), roots, logo) == logo.resolve()
    for refused in (
        "file:///etc/passwd",
        (bundled / ".." / ".." / "etc" / "passwd").as_uri(),
        bundled.as_uri() + "/../pyproject.toml",
        "https://example.com/x.css",
        "data:text/css,body{}",
        "file://otherhost" + css.removeprefix("file://"),
        (tmp_path / "other.png").as_uri(),
    ):
        assert _allowed_path(refused, roots, logo) is None, refused
    shutil.rmtree(firm)


def test_the_command_line_starts_without_weasyprint_or_jinja2() -> None:
    code = (
        "import sys, duediligence.cli, duediligence.cli.report\n"
        "print(sorted(m for m in ('weasyprint', 'jinja2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
