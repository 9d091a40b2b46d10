"""Finding 10: with no PEP list imported, G1 says why it cannot open and takes the screening
provider's PEP report instead, as the agency's checklist says; sanctions screened "clear"
against UN and OFAC alone warns that the UK Sanctions List was never imported."""

from __future__ import annotations

from pathlib import Path

from tests.agency.conftest import SCREENING, AgencyCli, open_sale

NO_PEP_LIST = "PEP screening not recorded: no PEP list is imported"


def _g1(agency: AgencyCli, reference: str) -> list[str]:
    gates = agency.json("cases", "show", reference)["evaluation"]["gates"]
    return [str(r) for r in gates[0]["reasons"]]


def test_without_a_pep_list_the_providers_pep_report_stands_in(
    agency: AgencyCli, tmp_path: Path
) -> None:
    imported = agency(
        "lists", "import", str(SCREENING / "uksl_sample.csv"), "--format", "uksl-csv", user="mo"
    )
    assert imported.exit_code == 0, imported.output
    open_sale(agency, "S-1", "seller")
    assert (
        agency("parties", "add", "S-1", "--role", "client", "--name", "Grace Okafor").exit_code == 0
    )
    reasons = _g1(agency, "S-1")
    assert any(r.startswith(NO_PEP_LIST) and "provider's PEP report" in r for r in reasons), reasons
    report = tmp_path / "pep-report.pdf"
    report.write_bytes(b"%PDF-1.4\n% provider PEP report\n%%EOF\n")
    attached = agency(
        "evidence", "add", "S-1", str(report), "--type", "pep_screening_report", "--question",
        "pep.screening_evidence", "--party", "p1",
    )  # fmt: skip
    assert attached.exit_code == 0, attached.output
    assert not any(r.startswith(NO_PEP_LIST) for r in _g1(agency, "S-1"))


def test_sanctions_clear_against_un_only_warns_of_the_missing_uk_list(
    agency: AgencyCli, tmp_path: Path
) -> None:
    un = SCREENING / "lists" / "un" / "UN_consolidated.xml"
    assert agency("lists", "import", str(un), "--format", "un-xml", user="mo").exit_code == 0
    open_sale(agency, "S-1", "seller")
    assert (
        agency("parties", "add", "S-1", "--role", "client", "--name", "Grace Okafor").exit_code == 0
    )
    warning = "the UK Sanctions List was never imported"
    shown = agency.json("cases", "show", "S-1")
    assert any(warning in w for w in shown["warnings"]), shown["warnings"]
    assert warning in agency("cases", "show", "S-1").output
    uksl = SCREENING / "uksl_sample.csv"
    assert agency("lists", "import", str(uksl), "--format", "uksl-csv", user="mo").exit_code == 0
    shown = agency.json("cases", "show", "S-1")
    assert not any(warning in w for w in shown["warnings"])
