"""Importers: counts on the real UN and OFAC files, the project's fixtures, malformed files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from duediligence.screening.importers import ListFormatError, import_list
from duediligence.screening.model import Kind, Snapshot

from .conftest import FIXTURES, OFAC_DIR, UN_XML


def test_un_xml_counts_date_and_details(un_snapshot: Snapshot) -> None:
    assert un_snapshot.source == "un-xml"
    assert un_snapshot.published == dt.date(2026, 2, 27)
    assert un_snapshot.counts["person"] == 730
    assert un_snapshot.counts["entity"] == 273
    assert len(un_snapshot.sha256) == 64
    first = un_snapshot.entries[0]
    assert first.id == "CDi.001"
    assert first.names[0].text == "ERIC BADEGE"
    assert first.dates_of_birth == ("1971",)
    assert first.nationalities == ("CD",)
    assert first.gender == "male"
    saddam = next(e for e in un_snapshot.entries if e.names[0].text.startswith("SADDAM HUSSEIN"))
    assert any(n.name_type == "original-script" for n in saddam.names)
    assert saddam.nationalities == ("IQ",)


def test_ofac_trio_counts_and_remarks(ofac_snapshot: Snapshot) -> None:
    assert len(ofac_snapshot.entries) == 8976
    assert ofac_snapshot.counts["person"] + ofac_snapshot.counts["entity"] == 8976
    assert ofac_snapshot.counts["names"] == 8976 + 11910
    assert ofac_snapshot.files == ("sdn.csv", "alt.csv", "add.csv")
    bnc = next(e for e in ofac_snapshot.entries if e.id == "306")
    assert bnc.kind is Kind.ENTITY and bnc.programmes == ("CUBA",)
    assert any(n.text == "NATIONAL BANK OF CUBA" for n in bnc.names)
    people = [e for e in ofac_snapshot.entries if e.kind is Kind.PERSON]
    assert sum(1 for e in people if e.dates_of_birth) > 4000


def test_uksl_fixture_groups_rows_by_unique_id() -> None:
    snapshot = import_list("uksl-csv", FIXTURES / "uksl_sample.csv")
    assert snapshot.published == dt.date(2026, 2, 13)
    assert snapshot.counts == {"person": 2, "entity": 2, "names": 8}
    sidorov = snapshot.entries[0]
    assert [n.name_type for n in sidorov.names] == ["primary", "original-script", "alias"]
    assert sidorov.dates_of_birth == ("1965-03-07",)
    kovalenko = snapshot.entries[1]
    assert kovalenko.dates_of_birth == ("1971", "1972-05")  # 00 parts are unknown
    assert kovalenko.nationalities == ("UA", "RU")


def test_pep_and_ftm_fixtures() -> None:
    pep = import_list("pep-csv", FIXTURES / "pep_sample.csv")
    assert pep.published == dt.date(2026, 1, 31)
    assert [e.id for e in pep.entries] == ["pep-1", "pep-2", "pep-3"]
    assert pep.entries[0].programmes == ("President of Kazakhstan",)
    assert ("PEP category", "head of state") in pep.entries[0].details
    ftm = import_list("ftm-json", FIXTURES / "ftm_sample.jsonl")
    assert ftm.counts == {"person": 1, "entity": 1, "names": 3}  # the Sanction record is skipped
    assert ftm.published == dt.date(2026, 1, 20)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _uksl_with(replace: str, by: str) -> str:
    text = (FIXTURES / "uksl_sample.csv").read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


@pytest.mark.parametrize(
    ("list_format", "name", "text", "location", "field"),
    [
        ("uksl-csv", "bad_dob.csv", _uksl_with("07/03/1965", "31/02/1965"), "row 3", "D.O.B"),
        ("uksl-csv", "bad_kind.csv", _uksl_with("Entity", "Company"), "row 6", "Designation Type"),
        (
            "uksl-csv",
            "no_date.csv",
            _uksl_with("Report Date: 13-Feb-2026", "Report Date: soon"),
            "row 1",
            "Report Date",
        ),
        ("pep-csv", "bad_country.csv", "name,country\nA Person,Atlantis\n", "row 2", "country"),
        ("pep-csv", "no_name.csv", "name,dob\nA Person,1960\n,1961\n", "row 3", "name"),
        ("pep-csv", "bad_column.csv", "name,salary\nA,1\n", "row 1 (header)", "salary"),
        (
            "ftm-json",
            "bad.jsonl",
            '{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{oops\n',
            "line 2",
            "JSON",
        ),
        (
            "ftm-json",
            "bad_names.jsonl",
            '{"id": "a", "schema": "Person", "properties": {"name": "A"}}\n',
            "line 1",
            "properties.name",
        ),
        (
            "un-xml",
            "broken.xml",
            "<CONSOLIDATED_LIST><INDIVIDUALS>\n<INDIVIDUAL></INDIVIDUALS>",
            "line 2",
            "XML",
        ),
        (
            "un-xml",
            "noref.xml",
            '<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>',
            "<INDIVIDUAL> #1",
            "REFERENCE_NUMBER",
        ),
    ],
)
def test_malformed_files_name_file_row_and_field(
    tmp_path: Path, list_format: str, name: str, text: str, location: str, field: str
) -> None:
    path = _write(tmp_path, name, text)
    result = None
    with pytest.raises(ListFormatError) as caught:
        result = import_list(list_format, path)
    assert result is None  # nothing partial
    assert caught.value.location.startswith(location)
    assert caught.value.field == field
    assert name in str(caught.value) and field in str(caught.value)


def test_malformed_ofac_row_names_row_and_field(tmp_path: Path) -> None:
    for file_name in ("sdn.csv", "alt.csv", "add.csv"):
        shutil.copy(OFAC_DIR / file_name, tmp_path / file_name)
    sdn = tmp_path / "sdn.csv"
    lines = sdn.read_bytes().split(b"\n")
    lines[2] = b"abc" + lines[2][lines[2].index(b",") :]
    sdn.write_bytes(b"\n".join(lines))
    with pytest.raises(ListFormatError) as caught:
        import_list("ofac-csv", tmp_path)
    assert (caught.value.location, caught.value.field) == ("row 3", "ent_num")
    assert "sdn.csv" in str(caught.value)


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="unknown list format"):
        import_list("xlsx", UN_XML)
    with pytest.raises(ListFormatError, match="there is no file at"):
        import_list("un-xml", tmp_path / "nothing.xml")


def test_ofac_trio_publication_is_its_newest_written_date_not_an_expiry(
    ofac_snapshot: Snapshot,
) -> None:
    from duediligence.screening.importers.ofac_csv import newest_date

    assert ofac_snapshot.published == dt.date(2020, 2, 9)
    remarks = (
        "Passport A1 (Iran) expires 12 Jan 2031; valid 1 Jan 2020 to 31 Dec 2026; "
        "issued 3 Mar 2019; DOB 01 Jan 1950; Effective Date (EO 14024): 24 Feb 2022; 31 Feb 2023"
    )
    assert newest_date(remarks) == dt.date(2022, 2, 24)
    assert newest_date("no dates here") is None
