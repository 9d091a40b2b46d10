"""The example matter: a realistic, fictional file a newcomer can open to see every feature.

A non-UK politically exposed person buys a London flat through an overseas company, part-funded by
a gift from his sister. The company is the client: it has the solicitor's CDD and risk assessment
and the beneficial-ownership record that leads to him. Everything is entered through the real `CaseFile` use cases (so it is
audited, hashed and verifiable like any other matter) and some items are deliberately left
missing so the gates, the risk panel and the "what's missing" list have something to say.
All names, numbers and documents are invented.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from duediligence.domain.answers import AnswerValue
from duediligence.domain.case import Actor, PartyKind, PartyRole, Person
from duediligence.domain.vocabulary import ClientType, FirmRole, MatterEvent, Role
from duediligence.services.casefile import CaseFile, NewCase, NewEvidence, NewParty

EXAMPLE_REFERENCE = "EX-0001"
"""The example matter's reference."""

BO = "beneficial-ownership"

_COMPANY: dict[str, AnswerValue | str] = {
    "entity.type": "company_overseas",
    "entity.name": "Marlowe Court Holdings Ltd",
    "entity.reg_number": "HE 412873",
    "entity.incorporation": "CY",
    "entity.ppob": "CY",
    "entity.addresses": "14 Archbishop Makarios III Avenue, 1065 Nicosia, Cyprus (registered office)",
    "entity.listed": False,
    "entity.officers": "Andreas Kyriakou (nominee director, Kyriakou Corporate Services); "
    "instructions in practice come from Teodor Valinescu",
    "register.applies": "not_registrable",
    "structure.purpose": "Holding company formed in 2025 to own a London flat for the family of its "
    "sole shareholder; said to be for privacy and estate planning.",
    "structure.purpose_assessment": "plausible",
    "structure.pahv": True,
    "structure.complex": False,
    "layer.entity#1": "Marlowe Court Holdings Ltd (HE 412873)",
    "layer.country#1": "CY",
    "layer.holder#1": "Teodor Valinescu",
    "layer.percent#1": "100",
    "layer.control#1": "board_appointment",
    "layer.nominee_bearer#1": "nominee_director",
    "bo.identified": "identified",
    "bo.party#1": "p2",
    "bo.basis#1": "shares_over_25, votes_over_25, board_control",
    "bo.direct_pct#1": "100",
    "bo.indirect_pct#1": "0",
    "bo.verification#1": "id_document",
    "bo.pep#1": "non_domestic_pep",
    "bo.sanctions#1": "clear",
    "soc.result": "no",
    "soc.reasoning": "Company, its director and its shareholder screened against the UK Sanctions "
    "List; single-layer structure, no other person with ownership or control.",
    "roe.uk_land": True,
}

CDD = "solicitor-cdd"

_CDD: dict[str, AnswerValue | str] = {
    "scope.activity": "real_property",
    "client.relationship": "new",
    "client.capacity": "own_behalf",
    "org.activities": "Holding company formed in Cyprus in 2025 with no trade of its own: it "
    "exists to own a London flat for the family of its sole shareholder, Teodor Valinescu.",
    "acting.present": True,
    "acting.person": "p2",
    "acting.capacity": "written_mandate",
    "verify.id_issues": "none",
    "screen.org_pep_method": "screening_tool, public_sources",
    "screen.org_pep": "beneficial_owner",
    "screen.adverse_media": "none",
    "sanctions.who": "client, persons_acting, beneficial_owners, payers",
    "sanctions.record": "UK Sanctions List via the firm's screening tool: 'Marlowe Court Holdings "
    "Ltd', 'Teodor Valinescu' (also 'Vălinescu', dob 1971-04-09) and 'Ilona Valinescu-Huber' "
    "(dob 1975-11-02); no hits.",
    "matter.purpose": "Purchase by the client company of Flat 9, Marlowe Court, London W8, as a "
    "family home for the children of its sole shareholder, who study at UCL.",
    "matter.value": "GBP 1,850,000",
    "matter.unusual": "none",
    "matter.funding": "company_funds, gift, overseas_funds",
    "matter.payer": "p3",
    "matter.client_account": False,
    "matter.urgency": False,
    "juris.country#1": "GB",
    "juris.connection#1": "property_location",
    "juris.country#2": "CY",
    "juris.connection#2": "client_business",
    "juris.country#3": "MD",
    "juris.connection#3": "other",
    "juris.country#4": "AT",
    "juris.connection#4": "funds_origin",
    "factors.present": "personal_asset_vehicle, nominee_or_bearer",
    "factors.comments": "The company is a personal asset-holding vehicle for one family's home, "
    "and its only director is a professional nominee: instructions come from the shareholder.",
    "reliance.used": False,
    "privacy.notice": True,
    "decision.training": True,
}

_PEP: dict[str, AnswerValue | str] = {
    "pep.who": "beneficial_owner",
    "pep.connection": "pep",
    "pep.function": "head_of_state_minister",
    "pep.title": "Deputy Minister of Energy",
    "pep.country": "MD",
    "pep.status": "current",
    "pep.identified_by": "screening_tool, public_information",
    "pep.risk_factors": "intermediaries_structures",
    "pep.edd_depth": "full",
    "pep.purpose": "Family home in London for the client's children, who study at UCL.",
    "pep.purpose_explained": True,
}

_FUNDS: dict[str, AnswerValue | str] = {
    "sof.amount_required": "GBP 1,850,000",
    "tranche.source#1": "company_funds",
    "tranche.amount#1": "GBP 1,250,000",
    "tranche.payer#1": "p1",
    "tranche.payer_is_client#1": "yes",
    "tranche.bank_country#1": "CY",
    "tranche.source#2": "gift",
    "tranche.amount#2": "GBP 600,000",
    "tranche.payer#2": "p3",
    "tranche.payer_is_client#2": "third_party",
    "tranche.bank_country#2": "AT",
    "tranche.donor#2": "p3",
    "tranche.how_accumulated#2": "Sister's proceeds from selling her dental practice in Vienna in 2024.",
}


def load_example(casefile: CaseFile, actor: Actor, responsible: str) -> str:
    """Open the example matter (refused if a case with its reference exists); returns the reference.

    The due diligence is recorded as the responsible fee earner's work, not as `actor`'s: whoever
    did a matter's due diligence may not approve it (four eyes), and the first user, who loads
    the example, is the one meant to try approving it.
    """
    ref = EXAMPLE_REFERENCE
    actor = Actor(user=responsible, os_user=actor.os_user)
    today = casefile.clock.now()
    casefile.open_case(
        actor,
        NewCase(
            reference=ref,
            firm_role=FirmRole.SOLICITOR,
            matter_type="residential_purchase",
            client_type=ClientType.COMPANY_OVERSEAS,
            responsible=responsible,
            acting_for="buyer",
        ),
    )
    casefile.add_party(
        actor,
        ref,
        NewParty(
            role=PartyRole.CLIENT,
            kind=PartyKind.ENTITY,
            name="Marlowe Court Holdings Ltd",
            nationalities=("CY",),
            addresses=("14 Archbishop Makarios III Avenue, 1065 Nicosia, Cyprus",),
            registration_number="HE 412873",
        ),
    )
    casefile.add_party(
        actor,
        ref,
        NewParty(
            role=PartyRole.BENEFICIAL_OWNER,
            kind=PartyKind.INDIVIDUAL,
            name="Teodor Valinescu",
            other_names=("Teodor Vălinescu",),
            date_of_birth=date(1971, 4, 9),
            nationalities=("MD", "RO"),
            addresses=("Strada Alexandru cel Bun 51, Chisinau, Moldova",),
        ),
    )
    casefile.add_party(
        actor,
        ref,
        NewParty(
            role=PartyRole.PAYER,
            kind=PartyKind.INDIVIDUAL,
            name="Ilona Valinescu-Huber",
            date_of_birth=date(1975, 11, 2),
            nationalities=("AT",),
            addresses=("Praterstrasse 12, 1020 Vienna, Austria",),
        ),
    )
    casefile.record_event(actor, ref, MatterEvent.INSTRUCTED, today - timedelta(days=3))
    _answer_all(casefile, actor, ref, BO, _COMPANY)
    # The company's own CDD and risk assessment: the rating, its rationale and the decision are
    # left for the newcomer to make (F7), as are the evidence of Mr Valinescu's authority to
    # instruct for the company and the date verification was completed.
    notice = (today.date() - timedelta(days=3)).isoformat()
    _answer_all(casefile, actor, ref, CDD, {**_CDD, "privacy.notice_date": notice})
    with tempfile.TemporaryDirectory(prefix="duediligence-example-") as folder:
        certificate = Path(folder) / "marlowe-certificate-of-incorporation.txt"
        certificate.write_text(
            "Republic of Cyprus, Registrar of Companies. Certificate of incorporation of "
            "Marlowe Court Holdings Ltd, HE 412873, 3 March 2025. (Fictional example.)\n",
            encoding="utf-8",
        )
        casefile.attach_evidence(
            actor,
            ref,
            certificate,
            NewEvidence(
                document_type="certificate_of_incorporation",
                question="entity.constitution",
                run=BO,
                party="p1",
                issuer="Registrar of Companies, Cyprus",
                document_date=date(2025, 3, 3),
                verified_at=today,
                method="certified copy",
            ),
        )
        # The evaluator now asks for the PEP's EDD, source of wealth and source of funds.
        for need in casefile.view(ref).evaluation.spawns:
            if need.run_id is None:
                casefile.start_checklist(actor, ref, need.checklist_id, need.subject)
        view = casefile.view(ref)
        runs = {r.checklist_id: r.key for r in view.records.runs}
        _answer_all(casefile, actor, ref, runs["pep-edd"], _PEP)
        _answer_all(casefile, actor, ref, runs["source-of-funds"], _FUNDS)
        gift_letter = Path(folder) / "gift-letter-ilona-valinescu-huber.txt"
        gift_letter.write_text(
            "I, Ilona Valinescu-Huber, give GBP 600,000 to my brother Teodor Valinescu towards "
            "the purchase of Flat 9, Marlowe Court, London W8. It is a gift and is not to be "
            "repaid. (Fictional example.)\n",
            encoding="utf-8",
        )
        casefile.attach_evidence(
            actor,
            ref,
            gift_letter,
            NewEvidence(
                document_type="gift_letter",
                question="tranche.donor_evidence#2",
                run=runs["source-of-funds"],
                party="p3",
                issuer="Ilona Valinescu-Huber",
                document_date=today.date() - timedelta(days=2),
            ),
        )
    return ref


def _answer_all(
    casefile: CaseFile, actor: Actor, ref: str, run: str, answers: dict[str, AnswerValue | str]
) -> None:
    for key, value in answers.items():
        if isinstance(value, str):
            casefile.answer(actor, ref, key, value, run_key=run)
        else:
            casefile.answer(actor, ref, key, value=value, run_key=run)


EXAMPLE_PEOPLE: tuple[Person, ...] = (
    Person(id="hgrant", name="Helen Grant", roles=(Role.SENIOR_MANAGER, Role.MLRO)),
    Person(id="bokafor", name="Ben Okafor", roles=(Role.SUPERVISOR,)),
    Person(id="pshah", name="Priya Shah", roles=(Role.FEE_EARNER,)),
)
"""Colleagues registered with the example so approvals can be tried (training set on loading)."""
