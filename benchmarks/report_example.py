"""A realistic fictional matter for the audit file: a non-domestic PEP buying a London flat
through his company, part-funded by a gift from his wife, taken through the case-file services
on a temporary store.

Used by `docs/make_example.py` (the committed example PDF), the report benchmarks and the report
tests. All names, numbers and companies are invented.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from duediligence.adapters.blobs import BlobDirectory
from duediligence.adapters.checklists_toml import load_library
from duediligence.adapters.locations import StoreLocation, evidence_dir, lists_dir
from duediligence.adapters.store import SqlStore
from duediligence.domain.answers import AnswerValue, Money
from duediligence.domain.case import (
    Actor,
    AnswerVersion,
    Case,
    CaseStatus,
    EventRecord,
    Evidence,
    Party,
    PartyKind,
    PartyRole,
    Person,
    Run,
    Supervisor,
)
from duediligence.domain.funds import NewReceipt
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.screening_records import Outcome, ReasonCode
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty
from duediligence.services.ports import CaseRecords
from duediligence.services.screening import ScreeningService

REFERENCE = "HV/2026/0147"
GENERATED_AT = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)
STARTED_AT = datetime(2026, 1, 20, tzinfo=UTC)
"""When the example firm is set up: before the matter, so the audit trail runs in order."""


@dataclass
class ScriptedClock:
    """A clock the script moves by hand; each reading advances a second so records order.

    It only moves forward: a script that set it back would write an audit trail, and answer
    versions, out of order (what an inspector would rightly distrust). Times a person claims
    (verified at, received at) are given on the records themselves, and may be earlier.
    """

    moment: datetime

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment

    def at(self, text: str) -> None:
        wanted = datetime.fromisoformat(text).replace(tzinfo=UTC)
        if wanted < self.moment:
            raise ValueError(f"the scripted clock runs forward only: {wanted} < {self.moment}")
        self.moment = wanted


PRIYA = Actor(user="priya", os_user="example")
DAVID = Actor(user="david", os_user="example")
HELEN = Actor(user="helen", os_user="example")
INCOMPLETE_REASON = (
    "The monitoring plan is agreed with the MLRO (review, re-screening, payment scrutiny) and is "
    "written up after exchange; every EDD check itself is done"
)
EXCEPTION_REASON = "Funds and contracts moved as reviewed; the open items are write-ups, not checks"


def _start(casefile: CaseFile, ref: str, checklist: str, subject: str = "client") -> None:
    """Priya starts a checklist, unless an answer already started it (an answer starts the
    checklists it makes necessary in its own transaction)."""
    runs = casefile.view(ref).records.runs
    if not any(r.checklist_id == checklist and r.subject == subject for r in runs):
        casefile.start_checklist(PRIYA, ref, checklist, subject)


def open_store(path: StoreLocation, start: datetime) -> tuple[CaseFile, SqlStore, ScriptedClock]:
    """A fresh store at `path` with the firm and its people."""
    clock = ScriptedClock(start)
    store = SqlStore(path, now=clock.now)  # the audit trail runs on the script's clock too
    casefile = CaseFile(store, BlobDirectory(evidence_dir(path)), load_library(), clock)
    casefile.screener = ScreeningService(store, BlobDirectory(lists_dir(path)), clock)
    casefile.init_firm(
        firm_name="Harcourt & Vale LLP",
        supervisor=Supervisor.SRA,
        supervisor_registration="SRA 612345",
        fwra_version="FWRA 2026.1",
        fwra_date=date(2026, 1, 12),
        first_user=Person(
            id="david",
            name="David Okafor",
            # Also a deputy MLRO: the one who may approve a file whose EDD is incomplete.
            roles=(Role.SENIOR_MANAGER, Role.SUPERVISOR, Role.MLRO),
            trained_on=date(2025, 11, 20),
        ),
        os_user="example",
    )
    casefile.add_person(
        DAVID,
        Person(
            id="priya", name="Priya Shah", roles=(Role.FEE_EARNER,), trained_on=date(2025, 9, 8)
        ),
    )
    casefile.add_person(
        DAVID,
        # The MLRO is bound to her account: she decides the sanctions hit (issue 13).
        Person(
            id="helen",
            name="Helen Marsh",
            roles=(Role.MLRO,),
            trained_on=date(2026, 1, 14),
            os_users=("example",),
        ),
    )
    return casefile, store, clock


PEP_LIST = """# published: 2026-01-30
id,name,aliases,dob,country,position,pep_category,start_of_office,end_of_office
kz-pep-0412,Nurlan Abenov,Нұрлан Әбенов|Nurlan Serikovich Abenov,1971-05-14,KZ,Deputy Minister of Energy,minister,2022-09-01,
kz-pep-0977,Serik Zhanuzakov,Серік Жанұзақов,1965-02-11,KZ,Akim of Almaty Region,regional government,2020-04-01,
"""

SANCTIONS_HEADER = (
    "Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,"
    "Name 4,Name 5,Name type,Alias strength,Title,Name non-latin script,Non-latin script type,"
    "Non-latin script language,Regime Name,Designation Type,Designation source,"
    "Sanctions Imposed,Other Information,UK Statement of Reasons,Address Line 1,"
    "Address Line 2,Address Line 3,Address Line 4,Address Line 5,Address Line 6,"
    "Address Postal Code,Address Country,Phone number,Website,Email address,Date Designated,"
    "D.O.B,Nationality(/ies),National Identifier number,"
    "National Identifier additional information,Passport number,"
    "Passport additional information,Position,Gender,Town of birth,Country of birth,"
    "Type of entity,Subsidiaries,Parent company,Business registration number (s),IMO number,"
    "Current owner/operator (s),Previous owner/operator (s),"
    "Current believed flag of ship,Previous flags,Type of ship,Tonnage of ship,Length of ship,"
    "Year Built,Hull identification number (HIN)"
)


def _sanctions_list(folder: Path) -> Path:
    """A UK Sanctions List CSV (fictional entries) with one near-namesake of the client."""
    import csv
    import io

    columns = next(csv.reader(io.StringIO(SANCTIONS_HEADER)))
    rows = [
        {
            "Unique ID": "EXA0031",
            "Name 6": "ABENOV",
            "Name 1": "Nurlan",
            "Name type": "Primary Name",
            "Regime Name": "Example regime (fictional)",
            "Designation Type": "Individual",
            "D.O.B": "03/11/1958",
            "Nationality(/ies)": "Kyrgyzstan",
        },
        {
            "Unique ID": "EXA0032",
            "Name 6": "KOVALENKO",
            "Name 1": "Dmytro",
            "Name type": "Primary Name",
            "Regime Name": "Example regime (fictional)",
            "Designation Type": "Individual",
            "D.O.B": "21/07/1969",
        },
    ]
    path = folder / "uk-sanctions-list.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("Report Date: 30-Jan-2026\n")
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def pdf_document(title: str, lines: Sequence[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, A4) with a title and lines of text: real evidence
    a PDF reader opens, written without any library."""

    def escape(text: str) -> str:
        ascii_text = text.encode("latin-1", "replace").decode("latin-1")
        return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT /F1 16 Tf 56 780 Td (" + escape(title) + ") Tj ET"]
    for n, line in enumerate(lines):
        body.append(f"BT /F1 10 Tf 56 {750 - 16 * n} Td (" + escape(line) + ") Tj ET")
    content = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def image_document(title: str, lines: Sequence[str], kind: str) -> bytes:
    """A small scan-like image (JPEG or PNG) with a title and lines of text."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (520, 80 + 18 * len(lines)), (246, 242, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, image.width - 5, image.height - 5), outline=(40, 60, 110), width=3)
    draw.text((20, 18), title, fill=(20, 30, 80))
    for n, line in enumerate(lines):
        draw.text((20, 50 + 18 * n), line, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format=kind, **({"quality": 80} if kind == "JPEG" else {}))
    return out.getvalue()


def _file(folder: Path, name: str, text: str, size: int | None) -> Path:
    """An evidence file whose bytes are what its name says: a PDF, a JPEG or PNG scan, or text
    (JSON). The first line of `text` is the title."""
    path = folder / name
    title, *lines = text.split("\n")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        data = pdf_document(title, lines)
    elif suffix in (".jpg", ".jpeg"):
        data = image_document(title, lines, "JPEG")
    elif suffix == ".png":
        data = image_document(title, lines, "PNG")
    else:
        data = text.encode("utf-8")
    if size is not None and size > len(data):
        # Benchmark evidence: incompressible bytes, like a scanned PDF or a photo.
        import os

        data += os.urandom(size - len(data))
    path.write_bytes(data)
    return path


def build_example(
    casefile: CaseFile, clock: ScriptedClock, folder: Path, *, evidence_size: int | None = None
) -> str:
    """Take the example matter through the services; returns its reference.

    `evidence_size` pads each of the ten evidence files to that many bytes (benchmarks).
    """
    folder.mkdir(parents=True, exist_ok=True)
    ref = REFERENCE

    def answer(key: str, raw: str, run: str | None = None, who: Actor = PRIYA) -> None:
        casefile.answer(who, ref, key, raw, run_key=run)

    def evidence(name: str, text: str, new: NewEvidence) -> str:
        # The same file filed under a second question is the same bytes (one blob).
        path = (
            folder / name if (folder / name).exists() else _file(folder, name, text, evidence_size)
        )
        return casefile.attach_evidence(PRIYA, ref, path, new).id

    clock.at("2026-02-01T18:00:00")
    screener = casefile.screener
    assert isinstance(screener, ScreeningService)
    pep_list = folder / "pep-list.csv"
    pep_list.write_text(PEP_LIST, encoding="utf-8")
    screener.import_list(DAVID, pep_list, "pep-csv")
    screener.import_list(DAVID, _sanctions_list(folder), "uksl-csv")

    clock.at("2026-02-02T08:30:00")
    casefile.open_case(
        PRIYA,
        NewCase(
            reference=ref,
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.INDIVIDUAL,
            responsible="priya",
            acting_for="buyer",
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.INDIVIDUAL,
            name="Nurlan Abenov",
            other_names=("Нұрлан Әбенов", "Nurlan Abenov Serikovich"),
            date_of_birth=date(1971, 5, 14),
            nationalities=("KZ",),
            addresses=("14 Dostyk Avenue, Apartment 52, Almaty 050010, Kazakhstan",),
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.ENTITY,
            name="Steppe Crest Properties Ltd",
            registration_number="15873302",
            addresses=("3rd Floor, 27 Old Gloucester Street, London WC1N 3AX",),
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(
            role=PartyRole.PAYER,
            kind=PartyKind.INDIVIDUAL,
            name="Aigerim Abenova",
            other_names=("Айгерим Абенова",),
            date_of_birth=date(1974, 9, 2),
            nationalities=("KZ",),
            addresses=("14 Dostyk Avenue, Apartment 52, Almaty 050010, Kazakhstan",),
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(
            role=PartyRole.COUNTERPARTY,
            kind=PartyKind.INDIVIDUAL,
            name="Margaret Whitfield",
            addresses=("Flat 6, 41 Elgin Crescent, London W11 2JD",),
        ),
    )
    clock.at("2026-02-02T08:45:00")
    for view in screener.hits(ref):
        if view.hit.list_kind.value == "pep":
            screener.dispose(  # a PEP hit is the MLRO's or a senior manager's to decide
                HELEN,
                ref,
                view.hit.id,
                Outcome.TRUE_MATCH,
                ReasonCode.TP_CONFIRMED_ESCALATE,
                "Same name, date of birth and nationality; the client confirms he is Deputy "
                "Minister of Energy. PEP EDD started.",
            )
        else:
            screener.dispose(
                HELEN,
                ref,
                view.hit.id,
                Outcome.FALSE_POSITIVE,
                ReasonCode.FP_DIFFERENT_DOB,
                "Listed person born 1958 in Kyrgyzstan; our client born 1971, Kazakh passport.",
            )
    clock.at("2026-02-02T09:15:00")
    casefile.record_event(PRIYA, ref, MatterEvent.INSTRUCTED, clock.moment)

    # Solicitor CDD and risk assessment
    answer("scope.activity", "real_property")
    answer("client.relationship", "new")
    answer("client.capacity", "through_entity")
    answer("client.entity", "p2")
    answer("ident.full_name", "Nurlan Serikovich Abenov")
    answer("ident.other_names", "Нұрлан Әбенов (Kazakh), Nurlan Abenov")
    answer("ident.dob", "1971-05-14")
    answer("ident.address", "14 Dostyk Avenue, Apartment 52, Almaty 050010, Kazakhstan")
    answer("ident.residence", "KZ")
    answer("ident.nationality", "KZ")
    answer("ident.occupation", "Deputy Minister of Energy, Republic of Kazakhstan (since 2022)")
    answer("acting.present", "no")
    answer("verify.method", "in_person")
    evidence(
        "passport-abenov.jpg",
        "Passport of Nurlan Abenov (fictional example)\nPASSPORT / KAZAKHSTAN\n"
        "Surname: ABENOV   Given names: NURLAN\nDate of birth: 14.05.1971   Sex: M\n"
        "Date of expiry: 31.05.2031\nScan taken when the original was seen in person.",
        NewEvidence(
            document_type="passport",
            question="verify.id_document",
            party="p1",
            issuer="Ministry of Internal Affairs, Republic of Kazakhstan",
            document_date=date(2021, 6, 1),
            expiry=date(2031, 5, 31),
            received_at=datetime(2026, 2, 2, 8, 50, tzinfo=UTC),
            verified_at=datetime(2026, 2, 2, 8, 50, tzinfo=UTC),
            method="Original seen in person; photo and MRZ checked",
        ),
    )
    answer("verify.id_issues", "none")
    clock.at("2026-02-04T11:20:00")
    evidence(
        "utility-bill-almaty.pdf",
        "Utility bill, Almaty (fictional example)\nAlmaty Energo Sbyt - electricity account\n"
        "Account holder: N. S. Abenov\n14 Dostyk Avenue, Apartment 52, Almaty 050010\n"
        "Bill date: 10 January 2026\nCertified copy; certified translation attached.",
        NewEvidence(
            document_type="utility_bill",
            question="verify.address_evidence",
            party="p1",
            issuer="Almaty Energo Sbyt",
            document_date=date(2026, 1, 10),
            verified_at=datetime(2026, 2, 4, 11, 20, tzinfo=UTC),
            method="Certified copy, certified by a Kazakh notary; translation checked",
            note="Translated from Russian by a certified translator.",
        ),
    )
    answer("verify.completed_on", "2026-02-04")
    answer("screen.pep_method", "screening_tool, self_declaration")
    answer("screen.pep", "domestic_pep")
    clock.at("2026-02-04T11:40:00")
    answer("screen.pep", "non_domestic_pep")  # corrected: a foreign PEP (reg 35)
    answer("screen.adverse_media", "none")
    answer("sanctions.who", "client, payers, beneficial_owners, counterparty")
    answer(
        "sanctions.record",
        "UK Sanctions List (published 2026-01-30, imported 2026-02-01): client, company, donor "
        "and seller screened 2026-02-02 08:30 UTC; one possible match for the client (EXA0031, "
        "born 1958, Kyrgyz) dismissed as a false positive by Helen Marsh.",
    )
    answer(
        "matter.purpose",
        "Purchase of Flat 6, 41 Elgin Crescent, London W11 as the family's London home while "
        "the children study in the UK; bought through the client's UK company.",
    )
    answer("matter.value", "1,850,000 GBP")
    answer("matter.unusual", "none")
    answer("matter.funding", "company_funds, gift, overseas_funds")
    answer("matter.payer", "p3")
    answer("matter.client_account", "no")
    answer("matter.urgency", "no")
    answer("juris.country#1", "KZ")
    answer("juris.connection#1", "funds_origin")
    answer("juris.country#2", "GB")
    answer("juris.connection#2", "property_location")
    answer("factors.present", "personal_asset_vehicle, corruption_country")
    answer(
        "factors.comments",
        "Property bought through a UK personal asset-holding company wholly owned by the client; "
        "funds originate in Kazakhstan, which scores poorly on corruption indices.",
    )
    answer("risk.rating", "medium")
    clock.at("2026-02-05T15:00:00")
    answer("risk.rating", "high")
    answer(
        "risk.rationale",
        "Foreign PEP (deputy minister) buying through a personal asset-holding vehicle with "
        "funds from a higher-risk jurisdiction and a family gift: High, enhanced due diligence. "
        "Mitigated by full source of wealth and funds evidence and senior management approval.",
    )
    answer("risk.cdd_level", "enhanced")
    answer(
        "risk.mitigation",
        "Senior management approval; source of wealth and funds evidenced; funds only from "
        "the company's UK account and the donor's account at Halyk Bank.",
    )
    answer("risk.monitoring", "new_funds_or_payer, screening_change, before_each_gate")
    answer("risk.review_date", "2027-02-05")
    answer("reliance.used", "no")
    answer("privacy.notice", "yes")
    answer("privacy.notice_date", "2026-02-02")
    answer("privacy.notice_version", "Client privacy notice v2026.1 (January 2026)")

    # Entity, PEP, source of wealth and of funds (spawned checklists)
    _start(casefile, ref, "beneficial-ownership", "p2")
    bo = "beneficial-ownership@p2"
    answer("entity.type", "company_uk", bo)
    answer("entity.name", "Steppe Crest Properties Ltd", bo)
    answer("entity.reg_number", "15873302", bo)
    answer("entity.incorporation", "GB", bo)
    answer("entity.ppob", "GB", bo)
    answer("entity.addresses", "3rd Floor, 27 Old Gloucester Street, London WC1N 3AX", bo)
    answer("entity.listed", "no", bo)
    answer("entity.officers", "Director: Nurlan Abenov; company secretary: none", bo)
    answer("register.applies", "yes", bo)
    clock.at("2026-02-05T15:30:00")
    evidence(
        "psc-register-steppe-crest.pdf",
        "Companies House PSC register extract (fictional example)\n"
        "Company: STEPPE CREST PROPERTIES LTD (15873302)\n"
        "Person with significant control: Nurlan ABENOV, born May 1971\n"
        "Nature of control: ownership of shares 75 to 100 percent; voting rights 75 to 100 "
        "percent; right to appoint and remove directors",
        NewEvidence(
            document_type="psc_register_excerpt",
            question="register.excerpt",
            run=bo,
            party="p2",
            issuer="Companies House",
            document_date=date(2026, 2, 3),
            received_at=datetime(2026, 2, 3, 9, 40, tzinfo=UTC),
            verified_at=datetime(2026, 2, 3, 9, 40, tzinfo=UTC),
            method="Downloaded from Companies House",
        ),
    )
    answer("register.discrepancy", "none", bo)
    answer("roe.uk_land", "no", bo)
    evidence(
        "articles-steppe-crest.pdf",
        "Articles of association (fictional example)\nSTEPPE CREST PROPERTIES LTD\n"
        "Model articles for private companies limited by shares, adopted on incorporation\n"
        "Governing law: England and Wales",
        NewEvidence(
            document_type="articles_of_association",
            question="entity.constitution",
            run=bo,
            party="p2",
            issuer="Companies House",
            received_at=datetime(2026, 2, 3, 9, 45, tzinfo=UTC),
            verified_at=datetime(2026, 2, 3, 9, 45, tzinfo=UTC),
            method="Downloaded from Companies House",
        ),
    )
    evidence(
        "structure-chart-steppe-crest.png",
        "Ownership structure (fictional example)\nNurlan Abenov (individual, KZ)\n"
        "   | 100% of shares and votes; appoints the board\n"
        "   v\nSteppe Crest Properties Ltd (GB, 15873302)\n   | buyer\n   v\n"
        "Flat 6, 41 Elgin Crescent, London W11",
        NewEvidence(
            document_type="structure_chart",
            question="structure.chart",
            run=bo,
            party="p2",
            received_at=datetime(2026, 2, 5, 15, 30, tzinfo=UTC),
            verified_at=datetime(2026, 2, 5, 15, 30, tzinfo=UTC),
            method="Drawn from the register of members and the PSC register",
        ),
    )
    answer(
        "structure.purpose",
        "Holds the family's London property; the client says it simplifies management and "
        "keeps the flat separate from his other assets.",
        bo,
    )
    answer("structure.purpose_assessment", "plausible", bo)
    answer("structure.pahv", "yes", bo)
    answer("structure.complex", "no", bo)
    answer("layer.entity#1", "Steppe Crest Properties Ltd (15873302)", bo)
    answer("layer.country#1", "GB", bo)
    answer("layer.holder#1", "Nurlan Abenov", bo)
    answer("layer.percent#1", "100", bo)
    answer("layer.control#1", "board_appointment", bo)
    answer("layer.nominee_bearer#1", "none", bo)
    answer("bo.identified", "identified", bo)
    answer("bo.party#1", "p1", bo)
    answer("bo.basis#1", "shares_over_25, votes_over_25, board_control", bo)
    answer("bo.direct_pct#1", "100", bo)
    answer("bo.indirect_pct#1", "0", bo)
    answer("bo.verification#1", "id_document", bo)
    answer("bo.pep#1", "non_domestic_pep", bo)
    answer("bo.sanctions#1", "clear", bo)
    answer("soc.result", "no", bo)
    answer(
        "soc.reasoning",
        "Sole owner and director screened clear against the UK Sanctions List; no other person "
        "owns or controls the company (PSC register, register of members).",
        bo,
    )

    _start(casefile, ref, "pep-edd")
    answer("pep.who", "client")
    answer("pep.connection", "pep")
    answer("pep.function", "head_of_state_minister")
    answer("pep.title", "Deputy Minister, Ministry of Energy of the Republic of Kazakhstan")
    answer("pep.country", "KZ")
    answer("pep.status", "current")
    answer("pep.identified_by", "screening_tool, self_declaration")
    clock.at("2026-02-05T16:00:00")
    evidence(
        "pep-screening-abenov.json",
        '{"list": "PEP list published 2026-01-30", "query": "Nurlan Abenov", '
        '"hit": "kz-pep-0412, Deputy Minister of Energy (KZ)", "score": 1.0}',
        NewEvidence(
            document_type="pep_screening_report",
            question="pep.identification_evidence",
            party="p1",
            issuer="PEP list published 2026-01-30",
            received_at=datetime(2026, 2, 2, 10, 0, tzinfo=UTC),
            verified_at=datetime(2026, 2, 2, 10, 0, tzinfo=UTC),
            method="Screening hit reviewed: same name, date of birth and office",
        ),
    )
    answer("pep.risk_factors", "high_corruption_country, intermediaries_structures")
    answer(
        "pep.risk_factors_note",
        "Kazakhstan's corruption index score is poor; the flat is bought through a company the "
        "client wholly owns.",
    )
    answer("pep.edd_depth", "full")
    answer(
        "pep.purpose",
        "A London home for the family while the children study in the UK. The firm acted for "
        "him before on a lease; the company is his own holding vehicle, with no intermediary.",
    )
    answer("pep.purpose_explained", "yes")
    answer("pep.approval_type", "establish")
    answer(
        "pep.approval_briefing",
        "Shown the CDD, SoW and SoF evidence, the structure chart and this assessment; no "
        "conditions beyond the funding routes.",
    )
    # The monitoring plan is left unwritten (only the next review date is set): the EDD is not
    # complete, which the senior manager's approval below records with a reason.
    answer("pep.next_review_on", "2027-02-05")
    evidence(
        "sanctions-screening-2026-02-02.json",
        '{"list": "UK Sanctions List published 2026-01-30", "query": "Nurlan Abenov", '
        '"hits": [{"entry": "EXA0031", "score": 0.6, "decision": "false positive, different '
        'date of birth"}]}',
        NewEvidence(
            document_type="sanctions_screening_report",
            question="pep.sanctions_evidence",
            party="p1",
            issuer="UK Sanctions List (FCDO), published 2026-01-30",
            received_at=datetime(2026, 2, 2, 10, 10, tzinfo=UTC),
            verified_at=datetime(2026, 2, 2, 10, 10, tzinfo=UTC),
            method="Screened against the list; one near-namesake dismissed",
        ),
    )
    answer("pep.sanctions_result", "no_match")

    _start(casefile, ref, "source-of-wealth")
    answer("sow.reason", "pep_full")
    answer("sow.depth", "full")
    answer("sow.net_worth", "6,400,000 GBP")
    answer("sow.activities", "employment, business_sale, investments")
    answer(
        "sow.narrative",
        "Twenty years as an engineer and executive at a private oil-services firm (salary and "
        "bonuses), sold his 35% shareholding in 2021 before taking public office; since then "
        "ministerial salary and income from a managed investment portfolio.",
    )
    answer("sow.gaps", "no")
    answer("contributor.kind#1", "business_sale")
    answer("contributor.description#1", "Sale of 35% of KazTech Oilfield Services LLP in 2021")
    answer("contributor.share#1", "80")
    answer("contributor.accounts_anomaly#1", "no")
    clock.at("2026-02-09T14:00:00")
    evidence(
        "share-purchase-agreement-2021.pdf",
        "Share purchase agreement (fictional example)\n"
        "Sale of 35% of KazTech Oilfield Services LLP by N. S. Abenov\n"
        "Dated 18 March 2021; consideration KZT 2,900,000,000 in two tranches",
        NewEvidence(
            document_type="share_purchase_agreement",
            question="contributor.evidence#1",
            party="p1",
            document_date=date(2021, 3, 18),
            verified_at=datetime(2026, 2, 9, 14, 0, tzinfo=UTC),
            method="Certified copy with sworn translation",
        ),
    )
    answer(
        "contributor.review_note#1",
        "Agreement shows KZT 2.9bn consideration paid in two tranches; matches bank credits.",
    )
    clock.at("2026-02-09T14:30:00")
    answer("contributor.kind#2", "employment")
    answer(
        "contributor.description#2", "Salary and bonuses at KazTech Oilfield Services, 2001-2021"
    )
    answer("contributor.share#2", "15")
    answer("contributor.accounts_anomaly#2", "no")
    evidence(
        "tax-returns-abenov-2015-2021.pdf",
        "Personal income tax returns 2015-2021 (fictional example)\n"
        "Taxpayer: N. S. Abenov; employer KazTech Oilfield Services LLP\n"
        "Declared employment income 2015-2021: KZT 612,000,000",
        NewEvidence(
            document_type="tax_return",
            question="contributor.evidence#2",
            party="p1",
            issuer="State Revenue Committee, Republic of Kazakhstan",
            verified_at=datetime(2026, 2, 9, 14, 10, tzinfo=UTC),
            method="Certified copies with sworn translation",
        ),
    )
    answer(
        "contributor.review_note#2",
        "Returns show steady senior salaries consistent with his role; totals match the narrative.",
    )
    answer("contributor.kind#3", "investments")
    answer("contributor.description#3", "Managed portfolio at Halyk Finance JSC since April 2021")
    answer("contributor.share#3", "5")
    answer("contributor.accounts_anomaly#3", "no")
    evidence(
        "investment-statement-halyk.pdf",
        "Investment statement, 31 December 2025 (fictional example)\n"
        "Halyk Finance JSC - discretionary portfolio of N. S. Abenov\n"
        "Value KZT 410,000,000; income 2025 KZT 21,000,000",
        NewEvidence(
            document_type="investment_statement",
            question="contributor.evidence#3",
            party="p1",
            issuer="Halyk Finance JSC",
            verified_at=datetime(2026, 2, 9, 14, 20, tzinfo=UTC),
            method="Statement obtained from the manager's portal in the client's presence",
        ),
    )
    answer(
        "contributor.review_note#3",
        "Portfolio funded from the 2021 sale proceeds; income consistent with a balanced mandate.",
    )
    evidence(
        "declaration-abenov-2025.pdf",
        "Public asset declaration 2025 (fictional example)\n"
        "Published declaration of income and assets of a public official: N. S. Abenov\n"
        "Lists the portfolio at Halyk Finance and the 2021 share sale",
        NewEvidence(
            document_type="public_record",
            question="sow.public_domain",
            party="p1",
            issuer="Public register of officials' declarations (fictional)",
            verified_at=datetime(2026, 2, 9, 14, 30, tzinfo=UTC),
            method="Printed from the public register",
        ),
    )
    answer(
        "sow.plausibility_note",
        "The sale agreement, tax returns and portfolio statement account for the declared net "
        "worth; his public declaration lists the same assets; nothing unexplained.",
    )
    answer("sow.plausible", "yes")
    answer("sow.conclusion", "established")
    answer("sow.reviewed_by", "Priya Shah, reviewed by David Okafor")

    _start(casefile, ref, "source-of-funds")
    answer("sof.amount_required", "1,905,000 GBP")
    answer("tranche.source#1", "company_funds")
    answer("tranche.amount#1", "1,400,000 GBP")
    answer("tranche.payer#1", "p2")
    answer("tranche.payer_is_client#1", "yes")
    answer("tranche.bank_country#1", "GB")
    answer("tranche.expected_on#1", "2026-03-10")
    answer(
        "tranche.how_accumulated#1",
        "Shareholder loan from the client to his company, funded from the 2021 share sale "
        "proceeds held at Halyk Bank and transferred to Barclays in November 2025.",
    )
    clock.at("2026-02-12T10:30:00")
    evidence(
        "bank-statements-steppe-crest.pdf",
        "Company bank statements, 6 months (fictional example)\n"
        "Barclays Bank UK PLC - Steppe Crest Properties Ltd, business current account\n"
        "1 Aug 2025 - 31 Jan 2026\n"
        "03 Nov 2025  CREDIT  ABENOV N S / HALYK BANK   GBP 1,450,000.00",
        NewEvidence(
            document_type="bank_statement",
            question="tranche.evidence#1",
            party="p2",
            issuer="Barclays Bank UK PLC",
            verified_at=datetime(2026, 2, 12, 10, 30, tzinfo=UTC),
            method="Statements obtained directly from the bank portal in the client's presence",
        ),
    )
    answer(
        "tranche.review_note#1",
        "Six months of statements: one credit of GBP 1,450,000 from the client's Halyk Bank "
        "account on 2025-11-03, matching the share-sale proceeds; no other material credits.",
    )
    answer("tranche.source#2", "gift")
    answer("tranche.amount#2", "505,000 GBP")
    answer("tranche.payer#2", "p3")
    answer("tranche.payer_is_client#2", "third_party")
    answer("tranche.bank_country#2", "KZ")
    answer("tranche.expected_on#2", "2026-03-10")
    answer(
        "tranche.how_accumulated#2",
        "The donor's savings from eight years of profits of her dental practice in Almaty, "
        "held in her own account at Halyk Bank.",
    )
    answer("tranche.donor#2", "p3")
    clock.at("2026-02-13T16:00:00")
    # The donor's letter, passport and statements answer two questions each (the donor's
    # evidence and the third-party payer's identity): one file, filed twice, printed once.
    donor_files = (
        (
            "gift-letter-abenova.pdf",
            "Gift letter signed by Aigerim Abenova (fictional example)\n"
            "I give GBP 505,000 to my husband Nurlan Abenov towards Flat 6, 41 Elgin Crescent.\n"
            "The gift is not repayable and gives me no interest in the property.\n"
            "Signed in Almaty on 11 February 2026",
            ("tranche.evidence#2", "tranche.donor_evidence#2"),
            NewEvidence(
                document_type="gift_letter",
                party="p3",
                document_date=date(2026, 2, 11),
                verified_at=datetime(2026, 2, 13, 16, 0, tzinfo=UTC),
                method="Original signed letter seen; signature compared with passport",
            ),
        ),
        (
            "passport-abenova.jpg",
            "Passport of Aigerim Abenova (fictional example)\nPASSPORT / KAZAKHSTAN\n"
            "Surname: ABENOVA   Given names: AIGERIM\nDate of birth: 02.09.1974   Sex: F\n"
            "Date of expiry: 19.08.2030\nCertified copy.",
            ("tranche.donor_evidence#2", "tranche.payer_id#2"),
            NewEvidence(
                document_type="passport",
                party="p3",
                issuer="Ministry of Internal Affairs, Republic of Kazakhstan",
                expiry=date(2030, 8, 19),
                verified_at=datetime(2026, 2, 13, 16, 0, tzinfo=UTC),
                method="Certified copy",
            ),
        ),
        (
            "bank-statements-abenova.pdf",
            "Donor's bank statements (fictional example)\n"
            "Halyk Bank of Kazakhstan - A. Abenova, savings account\n"
            "Balance 31 Jan 2026: KZT 352,000,000 built from practice income since 2018",
            ("tranche.donor_evidence#2", "tranche.payer_id#2"),
            NewEvidence(
                document_type="bank_statement",
                party="p3",
                issuer="Halyk Bank of Kazakhstan",
                verified_at=datetime(2026, 2, 13, 16, 5, tzinfo=UTC),
                method="Certified copies with translation",
            ),
        ),
    )
    for name, text, questions, new in donor_files:
        for question in questions:
            evidence(name, text, replace(new, question=question))
    answer(
        "tranche.review_note#2",
        "Donor's statements show practice income accumulating over 8 years; the gift is not "
        "repayable and gives the donor no interest in the property (gift letter).",
    )
    answer("sof.lookback", "6_months")
    answer(
        "sof.lookback_reason",
        "Covers the build-up of both balances used for the purchase, including the November "
        "transfer from Halyk Bank.",
    )
    answer("sof.anomalies", "none")
    answer("sof.consistent", "yes")
    answer("sof.reduced_checks", "no")
    clock.at("2026-02-16T12:00:00")
    answer("sof.conclusion", "satisfied")
    answer("sof.reviewed_by", "Priya Shah")
    answer("sof.review_completed_at", "2026-02-16T12:00")
    answer("sof.late_review_released", "no")

    # Decision, approvals and completion
    answer("decision.training", "yes")
    answer("decision.outcome", "accept_with_conditions")
    answer(
        "decision.conditions",
        "Funds only from the two accounts reviewed; re-screen all parties before completion.",
    )
    clock.at("2026-02-16T14:30:00")
    casefile.request_approvals(PRIYA, ref, "Exchange planned for 12 March; PEP EDD complete.")
    clock.at("2026-02-16T15:00:00")
    casefile.approve(DAVID, ref, Role.SUPERVISOR)
    clock.at("2026-02-17T09:00:00")
    answer(  # a late clarification: supersedes the supervisor's approval, given again below
        "decision.conditions",
        "Funds only from the two accounts reviewed (Barclays, Halyk); re-screen all parties "
        "before completion.",
    )
    # The EDD's monitoring plan is unwritten: only an MLRO may approve the file so, with a
    # reason, and record the events past the closed gates as exceptions.
    casefile.approve(
        DAVID,
        ref,
        Role.SENIOR_MANAGER,
        conditions="Payments only from the company's Barclays account and the donor's Halyk account.",
        incomplete_reason=INCOMPLETE_REASON,
    )
    casefile.approve(DAVID, ref, Role.SUPERVISOR)
    # A PEP matter: the relationship is established only once senior management has approved.
    clock.at("2026-02-17T09:30:00")
    casefile.record_event(PRIYA, ref, MatterEvent.RELATIONSHIP_ESTABLISHED, clock.moment)
    clock.at("2026-03-10T11:00:00")
    casefile.record_event(
        HELEN, ref, MatterEvent.FUNDS_RECEIVED, clock.moment, exception=EXCEPTION_REASON
    )
    # The two payments as the client-account statement shows them. G2 was closed (the EDD was
    # not complete), so each is held for the MLRO: explained by the fee earner, accepted by Helen.
    for amount, remitter, bank, country, account, tranche in (
        (
            "GBP 1,400,000",
            "STEPPE CREST PROPERTIES LTD",
            "Barclays",
            "GB",
            "20-00-00 43917702",
            "1",
        ),
        ("GBP 505,000", "ABENOVA AIGERIM", "Halyk Bank", "KZ", "KZ86125KZT5004100100", "2"),
    ):
        received = casefile.add_receipt(
            PRIYA,
            ref,
            NewReceipt(
                amount=amount,
                received_on="2026-03-10",
                remitter=remitter,
                bank=bank,
                bank_country=country,
                account=account,
                reference=f"CL-0147-{tranche}",
                tranche=tranche,
            ),
        )
        casefile.explain_receipt(
            PRIYA,
            ref,
            received.receipt.id,
            "Paid from the account reviewed for this tranche, in the amount declared; it arrived "
            "before the EDD approvals were complete and is held in client account.",
        )
        casefile.accept_receipt(
            HELEN, ref, received.receipt.id, "Matches the tranche reviewed; release with the EDD."
        )
    clock.at("2026-03-12T12:00:00")
    casefile.record_event(
        HELEN, ref, MatterEvent.EXCHANGE, clock.moment, exception=EXCEPTION_REASON
    )
    # Every party re-screened before completion, then the date recorded (never before).
    clock.at("2026-03-24T09:00:00")
    screener.screen_case(PRIYA, ref)
    answer("sanctions.rescreen_on", "2026-03-24")
    clock.at("2026-03-26T13:00:00")
    casefile.record_event(
        HELEN, ref, MatterEvent.COMPLETION, clock.moment, exception=EXCEPTION_REASON
    )
    clock.at("2026-03-27T10:00:00")
    # The retainer (a business relationship here) ends with the matter: the retention clock runs
    # from the relationship's end, not from completion of an occasional transaction.
    casefile.record_event(PRIYA, ref, MatterEvent.RELATIONSHIP_ENDED, clock.moment)
    casefile.set_status(PRIYA, ref, CaseStatus.CLOSED)
    return ref


COMPLETE_REFERENCE = "RM/2026/0002"
"""A plain remortgage taken all the way: every gate open, its one approval current."""
_COMPLETE_RATIONALE = (
    "Long-standing UK resident employed client remortgaging her own home with a mainstream UK "
    "lender; no capital raised, no third-party money, verified in person with a passport and an "
    "electronic check; screening clear. Rated Medium rather than Low because the firm's policy asks "
    "for a supervisor's review of every first instruction from a new client."
)


def build_complete_example(casefile: CaseFile, clock: ScriptedClock, folder: Path) -> str:
    """A low-risk remortgage rated Medium, complete and approved: every required answer given,
    source of funds done, the relationship begun after verification, everyone re-screened before
    completion and the supervisor's approval given last (so it is current). Returns its reference.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ref = COMPLETE_REFERENCE

    def answer(key: str, raw: str) -> None:
        casefile.answer(PRIYA, ref, key, raw)

    clock.at("2026-03-01T08:00:00")
    screener = casefile.screener
    assert isinstance(screener, ScreeningService)
    (folder / "pep.csv").write_text(PEP_LIST, encoding="utf-8")
    screener.import_list(DAVID, folder / "pep.csv", "pep-csv")
    screener.import_list(DAVID, _sanctions_list(folder), "uksl-csv")
    clock.at("2026-03-02T09:00:00")
    casefile.open_case(
        PRIYA,
        NewCase(
            reference=ref,
            firm_role=FirmRole.SOLICITOR,
            matter_type="remortgage",
            client_type=ClientType.INDIVIDUAL,
            responsible="priya",
            acting_for="other",
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.INDIVIDUAL,
            name="Jane Ann Smith",
            date_of_birth=date(1980, 2, 1),
            nationalities=("GB",),
            addresses=("12 Acacia Avenue, Reading RG1 1AA",),
        ),
    )
    casefile.add_party(
        PRIYA,
        ref,
        NewParty(role=PartyRole.PAYER, kind=PartyKind.ENTITY, name="Acacia Building Society"),
    )
    casefile.record_event(PRIYA, ref, MatterEvent.INSTRUCTED, clock.moment)
    for key, raw in {
        "scope.activity": "real_property",
        "client.relationship": "new",
        "client.capacity": "own_behalf",
        "ident.full_name": "Jane Ann Smith",
        "ident.dob": "1980-02-01",
        "ident.address": "12 Acacia Avenue, Reading RG1 1AA",
        "ident.residence": "GB",
        "ident.nationality": "GB",
        "ident.occupation": "Staff nurse, Royal Berkshire NHS Foundation Trust",
        "acting.present": "no",
        "verify.method": "in_person",
        "verify.id_issues": "none",
    }.items():
        answer(key, raw)
    passport = folder / "passport-smith.jpg"
    passport.write_bytes(
        image_document("Passport (fictional)", ["SMITH JANE ANN", "Expiry 31.05.2031"], "JPEG")
    )
    casefile.attach_evidence(
        PRIYA,
        ref,
        passport,
        NewEvidence(
            document_type="passport",
            question="verify.id_document",
            party="p1",
            expiry=date(2031, 5, 31),
            verified_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            method="Original seen in person",
        ),
    )
    check = folder / "eid-smith.pdf"
    check.write_bytes(
        pdf_document("Electronic verification (fictional)", ["Jane Ann Smith: address matched"])
    )
    casefile.attach_evidence(
        PRIYA,
        ref,
        check,
        NewEvidence(
            document_type="electronic_verification_result",
            question="verify.address_evidence",
            party="p1",
            verified_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            method="Electronic check",
        ),
    )
    for key, raw in {
        "verify.completed_on": "2026-03-02",
        "screen.pep_method": "screening_tool, self_declaration",
        "screen.pep": "not_pep",
        "screen.adverse_media": "none",
        "sanctions.who": "client, counterparty",
        "sanctions.record": "UK Sanctions List (published 2026-01-30) via the firm's tool on 2026-03-02 09:00: Jane Ann Smith, born 1980-02-01: no hits.",
        "matter.purpose": "Remortgage of the client's own home from one UK high-street lender to another at a lower fixed rate; no capital raised.",
        "matter.value": "250000 GBP",
        "matter.unusual": "none",
        "matter.funding": "mortgage",
        "matter.client_account": "no",
        "matter.urgency": "no",
        "juris.country#1": "GB",
        "juris.connection#1": "property_location",
        "factors.present": "none",
        "risk.rating": "medium",
        "risk.rationale": _COMPLETE_RATIONALE,
        "risk.cdd_level": "standard",
        "risk.monitoring": "new_funds_or_payer, before_each_gate",
        "risk.review_date": "2028-03-01",
        "reliance.used": "no",
        "privacy.notice": "yes",
        "privacy.notice_date": "2026-03-02",
        "privacy.notice_version": "Client privacy notice v2026.1 (January 2026)",
        "decision.training": "yes",
        "decision.outcome": "accept",
        "risk.mitigation": "Supervisor review of the assessment; funds only from the new lender direct to client account.",
    }.items():
        answer(key, raw)
    clock.at("2026-03-03T10:00:00")
    _start(casefile, ref, "source-of-funds")
    offer = folder / "mortgage-offer.pdf"
    offer.write_bytes(
        pdf_document(
            "Mortgage offer (fictional)",
            ["Acacia Building Society", "GBP 250,000 to Jane Ann Smith"],
        )
    )
    for key, raw in {
        "sof.amount_required": "250000 GBP",
        "tranche.source#1": "mortgage",
        "tranche.amount#1": "250000 GBP",
        "tranche.payer#1": "p2",
        "tranche.payer_is_client#1": "lender",
        "tranche.bank_country#1": "GB",
        "tranche.expected_on#1": "2026-03-20",
        "tranche.how_accumulated#1": "Advance from a UK building society under a mortgage offer dated 20/02/2026, paid direct from the lender to our client account to redeem the existing charge.",
    }.items():
        answer(key, raw)
    casefile.attach_evidence(
        PRIYA,
        ref,
        offer,
        NewEvidence(
            document_type="mortgage_offer",
            question="tranche.evidence#1",
            party="p1",
            verified_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
            method="Offer received from the lender",
        ),
    )
    for key, raw in {
        "tranche.review_note#1": "Offer names the client, the property and GBP 250,000; matches the redemption statement; no anomalies.",
        "sof.lookback": "3_months",
        "sof.lookback_reason": "Funds come only from a regulated UK lender's advance; no client money is involved.",
        "sof.anomalies": "none",
        "sof.consistent": "yes",
        "sof.reduced_checks": "no",
        "sof.conclusion": "satisfied",
        "sof.reviewed_by": "Priya Shah, solicitor",
        "sof.review_completed_at": "2026-03-03T10:00",
    }.items():
        answer(key, raw)
    # Funds wait for the supervisor's approval (G2, issue 13); the answers given once the money
    # is in change the record approved, so the supervisor approves it again at the end.
    clock.at("2026-03-04T08:30:00")
    casefile.request_approvals(PRIYA, ref, "Ready to take the remortgage funds.")
    clock.at("2026-03-04T08:45:00")
    casefile.approve(DAVID, ref, Role.SUPERVISOR)
    clock.at("2026-03-04T09:00:00")
    casefile.record_event(PRIYA, ref, MatterEvent.RELATIONSHIP_ESTABLISHED, clock.moment)
    clock.at("2026-03-20T09:30:00")
    casefile.record_event(PRIYA, ref, MatterEvent.FUNDS_RECEIVED, clock.moment)
    # The advance as the client-account statement shows it, reconciled with tranche 1.
    casefile.add_receipt(
        PRIYA,
        ref,
        NewReceipt(
            amount="GBP 250000",
            received_on="2026-03-20",
            remitter="ACACIA BUILDING SOCIETY",
            bank="Acacia Building Society",
            bank_country="GB",
            account="40-11-62 71234567",
            reference="CL-2026-0311",
            tranche="1",
        ),
    )
    clock.at("2026-03-27T09:00:00")
    screener.screen_case(PRIYA, ref)
    answer("sanctions.rescreen_on", "2026-03-27")
    clock.at("2026-03-27T09:30:00")
    casefile.request_approvals(PRIYA, ref, "Completion booked for 27 March.")
    clock.at("2026-03-27T10:00:00")
    casefile.approve(DAVID, ref, Role.SUPERVISOR)
    return ref


def synthetic_records(
    library: ChecklistLibrary,
    files: Path,
    *,
    units: int = 3,
    answers: int | None = None,
    evidence_files: int | None = None,
) -> tuple[CaseRecords, dict[str, str]]:
    """A large matter built in memory, growing linearly with `units`.

    Each unit is a payer party with its own source-of-funds run (30 tranches, 6 answers each,
    the review notes answered twice) and ten evidence files; the client's CDD run adds 20
    jurisdictions. `answers` and `evidence_files` cap the totals. Going through the services
    would re-read the whole case for each of hundreds of writes; the report only reads records,
    so it is fed them directly (evaluate with `CaseFile.view_of`). Returns the records and the
    evidence paths by SHA-256.
    """
    now = datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    case = Case(
        id="case1",
        reference="BIG-1",
        firm_role=FirmRole.SOLICITOR,
        matter_type="residential_purchase",
        acting_for="buyer",
        client_type=ClientType.INDIVIDUAL,
        responsible="priya",
        opened_at=now,
        opened_by="priya",
    )

    def party(n: int) -> Party:
        return Party(
            id=f"party{n}",
            case_id=case.id,
            label=f"p{n}",
            role=PartyRole.CLIENT if n == 1 else PartyRole.PAYER,
            kind=PartyKind.INDIVIDUAL,
            name="A Client" if n == 1 else f"Payer number {n}",
            added_at=now,
            added_by="priya",
        )

    def run(checklist_id: str, subject: str) -> Run:
        checklist = library.get(checklist_id)
        assert checklist is not None
        key = checklist_id if subject == "client" else f"{checklist_id}@{subject}"
        return Run(
            id=f"run-{key}",
            case_id=case.id,
            key=key,
            checklist_id=checklist_id,
            checklist_version=checklist.version,
            content_sha256=library.sources[checklist_id].sha256,
            subject=subject,
            started_at=now,
        )

    parties = [party(1)] + [party(u + 1) for u in range(1, units + 1)]
    runs = [run("solicitor-cdd", "client")]
    values: list[tuple[str, str, AnswerValue]] = []
    for n in range(1, 21):
        values += [
            ("run-solicitor-cdd", f"juris.country#{n}", "FR"),
            ("run-solicitor-cdd", f"juris.connection#{n}", "other"),
        ]
    for u in range(1, units + 1):
        sof = run("source-of-funds", f"p{u + 1}")
        runs.append(sof)
        for n in range(1, 31):
            values += [
                (sof.id, f"tranche.source#{n}", "savings"),
                (sof.id, f"tranche.amount#{n}", Money(amount=Decimal(1000 + n), currency="GBP")),
                (sof.id, f"tranche.bank_country#{n}", "GB"),
                (sof.id, f"tranche.expected_on#{n}", date(2026, 3, 1)),
                (sof.id, f"tranche.how_accumulated#{n}", f"Salary saved over {n} years"),
                (sof.id, f"tranche.review_note#{n}", f"Statements for tranche {n} reviewed"),
            ]
        for n in range(1, 31):
            values.append((sof.id, f"tranche.review_note#{n}", f"Review 2 of {n}, unit {u}"))
    if answers is not None:
        values = values[:answers]
    numbers: dict[tuple[str, str], int] = {}
    versions = []
    for i, (run_id, key, value) in enumerate(values):
        number = numbers.get((run_id, key), 0) + 1
        numbers[(run_id, key)] = number
        versions.append(
            AnswerVersion(
                id=f"a{i}",
                case_id=case.id,
                run_id=run_id,
                question_key=key,
                number=number,
                value=value,
                answered_by="priya",
                answered_at=now + timedelta(minutes=i),
            )
        )
    evidence = []
    paths = {}
    count = evidence_files if evidence_files is not None else 10 * units
    for n in range(count):
        data = f"%PDF-1.4 statement {n}\n".encode() * 20
        path = files / f"statement-{n:03d}.pdf"
        path.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        paths[sha] = str(path)
        evidence.append(
            Evidence(
                id=f"e{n}",
                case_id=case.id,
                sha256=sha,
                size=len(data),
                original_name=path.name,
                media_type="application/pdf",
                document_type="bank_statement",
                party_id=parties[1 + n % units].id if units else parties[0].id,
                received_at=now,
                verified_at=now + timedelta(days=1),
                verified_by="priya",
                added_at=now,
                added_by="priya",
            )
        )
    event = EventRecord(
        id="ev1",
        case_id=case.id,
        event=MatterEvent.INSTRUCTED,
        at=now,
        recorded_at=now,
        recorded_by="priya",
    )
    records = CaseRecords(
        case=case,
        parties=tuple(parties),
        runs=tuple(runs),
        answers=tuple(versions),
        events=(event,),
        evidence=tuple(evidence),
    )
    return records, paths
