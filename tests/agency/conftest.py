"""An HMRC estate agency on a real store, set up through the real command line.

Nina negotiates, Bea manages the branch (supervisor), Dan is a director (senior manager) and Mo
is the nominated officer (MLRO); the supervising people are bound to this computer account.
The bundled checklists are used, as the agency would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from tests.casefile.conftest import ME, RECENT, Cli
from tests.casefile.conftest import cli as cli  # the law firm beside the agency (shared rules)

AGENCY_INIT = (
    "init", "--firm", "Marsh & Field Estate Agents", "--supervisor", "hmrc", "--registration",
    "XWML00000123456", "--fwra-version", "1", "--fwra-date", RECENT, "--user", "dan",
    "--name", "Dan Director", "--role", "senior_manager", "--trained-on", RECENT,
)  # fmt: skip


class AgencyCli(Cli):
    """The command line on the agency's store, with the bundled checklists."""

    def __call__(self, *args: str, user: str | None = "nina", checklists: bool = False) -> Result:
        return super().__call__(*args, user=user, checklists=checklists)


@pytest.fixture
def agency(tmp_path: Path) -> AgencyCli:
    cli = AgencyCli(tmp_path / "agency" / "case.sqlite3")
    done = cli(*AGENCY_INIT, user=None)
    assert done.exit_code == 0, done.output
    for user_id, name, role in (
        ("nina", "Nina Negotiator", "fee_earner"),
        ("bea", "Bea Branch", "supervisor"),
        ("mo", "Mo Officer", "mlro"),
    ):
        extra = () if role == "fee_earner" else ("--os-user", ME)
        added = cli(
            "users", "add", user_id, "--name", name, "--role", role, "--trained-on", RECENT,
            *extra, user="dan",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    return cli


def open_sale(cli: Cli, reference: str, side: str, client_type: str = "individual") -> None:
    """Open one side of a sale as the negotiator."""
    opened = cli(
        "cases", "new", reference, "--kind", "estate_agent", "--matter-type",
        "estate_agency_sale", "--client-type", client_type, "--acting-for", side,
        "--responsible", "nina",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output


SCREENING = Path(__file__).resolve().parents[1] / "data" / "screening"

RATIONALE_LOW = (
    "Long-standing owner-occupier selling her family home of 19 years; title registered in her "
    "sole name since 2007. Verified in person from her passport and a council tax bill. PEP and "
    "sanctions screening clear. Nobody acts for her. Nothing unusual about the sale. Low, in "
    "line with the firm-wide risk assessment."
)

SELLER_ANSWERS: dict[str, str] = {
    "role": "seller",
    "property.address": "7 Brookside Close, Caversham, Reading RG4 8QT",
    "property.price": "385000 GBP",
    "property.super_prime": "no",
    "customer.name": "Grace Adaeze Okafor",
    "customer.dob": "1969-11-02",
    "customer.address": "7 Brookside Close, Caversham, Reading RG4 8QT",
    "customer.nationality": "GB",
    "customer.residence": "GB",
    "customer.occupation": "Practice nurse, Caversham Medical Centre",
    "verification.method": "in_person",
    "verification.completed_on": "2026-11-02",
    "acting.present": "no",
    "pep.declaration": "no",
    "assessment.rating": "low",
    "assessment.rationale": RATIONALE_LOW,
    "notice.reg41_given_on": "2026-11-02",
}
"""A clean local seller, verified on 2 November 2026, as a negotiator types it."""

BUYER_ANSWERS: dict[str, str] = SELLER_ANSWERS | {
    "role": "buyer",
    "property.price": "380000 GBP",
    "customer.name": "Amelia Jane Hart",
    "customer.dob": "1991-05-14",
    "customer.address": "Flat 3, 22 Kings Road, Reading RG1 3AA",
    "customer.occupation": "Secondary school teacher, Reading Borough Council",
    "funding.sources": "mortgage,savings",
    "funding.lender": "Halifax, 300000 GBP over 30 years",
    "funding.deposit_source": "Savings at Nationwide built over eight years",
    "funding.consistent": "yes",
    "deposit.payer": "none",
    "reliance.used": "no",
    "assessment.rationale": RATIONALE_LOW.replace("selling her family home", "buying a home"),
}
"""A clean local mortgage buyer."""

LATE_BUYER: dict[str, str] = BUYER_ANSWERS | {
    "verification.late_justification": (
        "The seller accepted the offer on a Sunday evening by email; the buyer's passport was seen "
        "in the branch at opening the next morning. Stopping the sale overnight would have lost "
        "it; the risk is Low (local buyer, mortgage, clear screening)."
    ),
}
"""The same buyer, verified the day after the offer was accepted, with the reg 30(3) reason."""

EVIDENCE: dict[str, tuple[tuple[str, str], ...]] = {
    "verification.evidence": (("passport", "passport.pdf"), ("council_tax_bill", "tax.pdf")),
    "pep.screening_evidence": (("pep_screening_report", "pep.pdf"),),
    "sanctions.evidence": (("sanctions_screening_report", "sanctions.pdf"),),
    "funding.mortgage_evidence": (("mortgage_in_principle", "aip.pdf"),),
}


def import_lists(cli: Cli) -> None:
    """The PEP and UK Sanctions List samples, imported by the nominated officer."""
    for name, fmt in (("pep_sample.csv", "pep-csv"), ("uksl_sample.csv", "uksl-csv")):
        done = cli("lists", "import", str(SCREENING / name), "--format", fmt, user="mo")
        assert done.exit_code == 0, done.output


def add_client(cli: Cli, reference: str, name: str, dob: str) -> None:
    added = cli(
        "parties", "add", reference, "--role", "client", "--name", name, "--dob", dob,
        "--nationality", "GB",
    )  # fmt: skip
    assert added.exit_code == 0, added.output


def do_cdd(cli: Cli, reference: str, answers: dict[str, str], files: Path) -> None:
    """Every answer and document of the customer's CDD, given by the negotiator."""
    for question, value in answers.items():
        done = cli("answer", reference, question, value)
        assert done.exit_code == 0, (question, done.output)
    files.mkdir(parents=True, exist_ok=True)
    for question, items in EVIDENCE.items():
        if question == "funding.mortgage_evidence" and "funding.sources" not in answers:
            continue
        for document_type, name in items:
            path = files / f"{reference}-{name}"
            path.write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
            done = cli(
                "evidence", "add", reference, str(path), "--type", document_type,
                "--question", question, "--verified-at", "2026-11-02T12:00+00:00",
                "--method", "Original seen in the branch", "--party", "p1",
            )  # fmt: skip
            assert done.exit_code == 0, (question, done.output)
    signed = cli("sign-off", reference)
    assert signed.exit_code == 0, signed.output
