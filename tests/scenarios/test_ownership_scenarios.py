"""Beneficial-ownership scenarios: entity clients taken through the `beneficial-ownership` checklist.

Each test tells the story of one structure (an SPV, an overseas company, a trust) and checks what
the evaluator concludes about its owners, the registers, the triggers and the gates.

An entity client also gets the CDD checklist of the firm's role (solicitor-cdd), which starts
beside this one; these stories load only `beneficial-ownership` and the checklists it spawns, so
that what they assert is this checklist's own conclusions. The two together, for every client
type, are in test_client_type_scenarios.py.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from duediligence.adapters.checklists_toml import load_library
from duediligence.domain.evaluation import Evaluation
from duediligence.domain.library import ChecklistLibrary
from duediligence.domain.vocabulary import Gate, Rating, Role
from tests.scenarios.matter import Matter

BO = "beneficial-ownership"
ROOT = Path(__file__).resolve().parents[2]
CHECKLISTS = (BO, "pep-edd", "source-of-wealth", "source-of-funds")


@cache
def library() -> ChecklistLibrary:
    """Beneficial ownership, the checklists it spawns and the bundled country lists."""
    folder = ROOT / "checklists"
    return load_library([*(folder / f"{c}.toml" for c in CHECKLISTS), folder / "country-lists"])


def entity_matter(client_type: str, matter_type: str) -> Matter:
    """A solicitor's matter for an entity client, with this file's checklists only."""
    return Matter("solicitor", client_type, matter_type, library=library())


# ----------------------------------------------------------------------------------------------
# Local helpers (kept here rather than in matter.py)


def reasons(ev: Evaluation, gate: Gate) -> list[tuple[str, str]]:
    """(kind, message) of every reason the gate is closed."""
    return [(r.kind, r.message) for r in ev.gate(gate).reasons]


def closed_because(ev: Evaluation, gate: Gate, kind: str, words: str) -> bool:
    """Whether the gate is closed by a reason of this kind whose message contains `words`."""
    return any(k == kind and words in m for k, m in reasons(ev, gate))


def open_gates(ev: Evaluation) -> list[str]:
    """The gates that are open."""
    return [g.gate.value for g in ev.gates if g.open]


def simple_uk_company(matter: Matter, **overrides: object) -> Matter:
    """A UK trading company owned 100% by one director: every question answered, nothing unusual.

    Keyword overrides replace answers, dots written as double underscores; None removes one.
    """
    answers: dict[str, object] = {
        "entity.type": "company_uk",
        "entity.name": "Hartley Joinery Ltd",
        "entity.reg_number": "09876543",
        "entity.incorporation": "GB",
        "entity.ppob": "GB",
        "entity.addresses": "Unit 4, Mill Lane, Leeds LS1 4AA (registered office and trading)",
        "entity.listed": False,
        "entity.constitution": ["articles-hartley-2019"],
        "entity.officers": "Thomas Hartley (director); day-to-day management by Thomas Hartley",
        "register.applies": "yes",
        "register.excerpt": ["psc-register-hartley-2026-03-02"],
        "register.discrepancy": "none",
        "structure.chart": ["structure-chart-hartley"],
        "structure.purpose": "Trading company buying the freehold of the workshop it already "
        "leases; the company is the natural owner of its own premises.",
        "structure.purpose_assessment": "clear",
        "structure.pahv": False,
        "structure.complex": False,
        "layer.entity#1": "Hartley Joinery Ltd (09876543)",
        "layer.country#1": "GB",
        "layer.holder#1": "Thomas Hartley",
        "layer.percent#1": 100,
        "layer.control#1": ["board_appointment"],
        "layer.nominee_bearer#1": ["none"],
        "bo.identified": "identified",
        "bo.party#1": "p-hartley",
        "bo.basis#1": ["shares_over_25", "votes_over_25", "board_control"],
        "bo.direct_pct#1": 100,
        "bo.indirect_pct#1": 0,
        "bo.verification#1": "id_document",
        "bo.pep#1": "not_pep",
        "bo.sanctions#1": "clear",
        "soc.result": "no",
        "soc.reasoning": "Company and its sole shareholder and director screened against the UK "
        "Sanctions List on 02/03/2026; single-layer structure, no other person with control.",
    }
    for key, value in overrides.items():
        answers[key.replace("__", ".")] = value
    return matter.answer_all(BO, {k: v for k, v in answers.items() if v is not None})


# ----------------------------------------------------------------------------------------------
# Scenarios


def test_plain_uk_company_with_one_owner_opens_every_gate() -> None:
    """Hartley Joinery Ltd buys the workshop it trades from; Thomas Hartley owns all the shares.

    One layer, one owner, the PSC register matches, screening is clear: nothing blocks the
    matter and nothing adds risk. This is the baseline the other stories depart from.
    """
    matter = entity_matter("company_uk", "commercial_property")
    assert matter.started == [BO]
    ev = simple_uk_company(matter).evaluate()
    assert ev.missing == ()
    assert ev.score == 0 and ev.triggers == ()
    assert open_gates(ev) == ["G1", "G2", "G3", "G4"]
    assert "trust.settlor" not in ev.visible[BO]  # trust roles only for trusts and foundations
    assert "roe.uk_land" not in ev.visible[BO]  # the ROE applies to overseas entities only


def test_non_domestic_pep_buys_through_uk_spv_funded_by_an_overseas_foundation() -> None:
    """A foreign minister's London house is bought by a UK SPV, funded from a foundation abroad.

    Mayfair Residence Ltd (UK) is owned by Channel Holdings Ltd in Jersey, which is owned by the
    Aurora Foundation in Liechtenstein. The foundation's founder and sole beneficiary is Mr V, a
    serving minister of another country. No layer is in a high-risk third country, but the chain
    is offshore and complex and the vehicle holds a personal asset. Because the beneficial owner
    is a non-domestic PEP, the rating is High, a senior manager must approve, and PEP enhanced due
    diligence and source of wealth start for Mr V himself (not for the SPV).
    """
    matter = entity_matter("company_uk", "residential_purchase")
    simple_uk_company(
        matter,
        entity__name="Mayfair Residence Ltd",
        entity__reg_number="15550001",
        entity__addresses="Registered office c/o formation agent, London EC2; managed from Jersey",
        entity__officers="Channel Directors Ltd (corporate director, Jersey)",
        structure__purpose="Holding vehicle for a London residence for Mr V's family; funds come "
        "from the Aurora Foundation, Liechtenstein, through the Jersey holding company.",
        structure__purpose_assessment="plausible",
        structure__pahv=True,
        structure__complex=True,
        **{
            "layer.entity#1": "Mayfair Residence Ltd (15550001)",
            "layer.holder#1": "Channel Holdings Ltd",
            "layer.control#1": ["none"],
            "layer.entity#2": "Channel Holdings Ltd (Jersey 123456)",
            "layer.country#2": "JE",
            "layer.holder#2": "Aurora Foundation",
            "layer.percent#2": 100,
            "layer.control#2": ["none"],
            "layer.nominee_bearer#2": ["nominee_director"],
            "layer.entity#3": "Aurora Foundation (Liechtenstein FL-0002)",
            "layer.country#3": "LI",
            "layer.holder#3": "Mr V (founder and sole beneficiary)",
            "layer.percent#3": 100,
            "layer.control#3": ["significant_influence"],
            "layer.nominee_bearer#3": ["none"],
            "bo.party#1": "p-minister",
            "bo.basis#1": ["settlor_or_founder", "beneficiary", "other_control"],
            "bo.direct_pct#1": 0,
            "bo.indirect_pct#1": 100,
            "bo.pep#1": "non_domestic_pep",
        },
    )
    ev = matter.evaluate()

    # The chain is offshore but not on the FATF lists: only the PEP forces High.
    [trigger] = ev.triggers
    assert (trigger.cause.question_id, trigger.cause.entry) == ("bo.pep", 1)
    assert ev.computed_rating is Rating.HIGH
    assert {c.reason for c in ev.contributions} == {
        "Personal asset-holding vehicle (MLR reg 33(6)(a))",
        "Unusual or excessively complex ownership structure (MLR reg 33(6)(a))",
        "Nominee shareholder or director in the ownership chain (MLR reg 33(6)(a))",
    }
    spawns = {(s.checklist_id, s.subject, s.gate) for s in ev.spawns}
    assert spawns == {
        ("pep-edd", "p-minister", Gate.G1),
        ("source-of-wealth", "p-minister", Gate.G1),
        ("source-of-funds", "client", Gate.G1),
    }
    [approval] = ev.approvals
    assert approval.role is Role.SENIOR_MANAGER and not approval.satisfied
    assert closed_because(ev, Gate.G1, "approval", "a beneficial owner is PEP-connected")
    assert closed_because(ev, Gate.G1, "checklist_not_started", "party p-minister")

    matter.start_spawned().approve("senior_manager", "S. Partner")
    ev = matter.evaluate()
    assert "pep-edd@p-minister" in matter.started
    assert all(s.run_id is not None for s in ev.spawns)
    # The funds come from the Liechtenstein foundation's bank: the source-of-funds record
    # adds its own risk for money from abroad.
    matter.answer("source-of-funds", "tranche.bank_country", "LI", entry=1)
    ev = matter.evaluate()
    assert any(c.cause.checklist_id == "source-of-funds" for c in ev.contributions)


def test_ownership_chain_through_a_high_risk_third_country_forces_high() -> None:
    """The same kind of SPV, but the middle company is incorporated in the British Virgin Islands.

    Since June 2025 the Virgin Islands (UK) are on the FATF increased-monitoring list, so a layer
    there brings the high-risk-third-country regime: High and senior-management approval, with
    the cause pointing at the layer concerned.
    """
    matter = entity_matter("company_uk", "residential_purchase")
    simple_uk_company(
        matter,
        **{
            "layer.holder#1": "Tortola Holdings Ltd",
            "layer.entity#2": "Tortola Holdings Ltd (BVI 2000123)",
            "layer.country#2": "VG",
            "layer.holder#2": "Thomas Hartley",
            "layer.percent#2": 100,
            "layer.control#2": ["none"],
            "layer.nominee_bearer#2": ["none"],
        },
    )
    ev = matter.evaluate()
    [trigger] = ev.triggers
    assert (trigger.cause.question_id, trigger.cause.entry) == ("layer.country", 2)
    assert "high-risk third country" in trigger.reason
    assert closed_because(ev, Gate.G1, "approval", "ownership chain runs through a high-risk")


def test_overseas_entity_without_an_overseas_entity_id_can_instruct_but_not_exchange() -> None:
    """Alpenblick AG, a Swiss company, buys a Cotswolds cottage but is not yet on the ROE.

    Everything we need before accepting instructions is in place, so G1 and G2 open. But HM Land
    Registry will not register a purchase by an overseas entity without an Overseas Entity ID, so
    we must not exchange (G3) until it has one.
    """
    matter = entity_matter("company_overseas", "residential_purchase")
    simple_uk_company(
        matter,
        entity__type="company_overseas",
        entity__name="Alpenblick AG",
        entity__reg_number="CHE-123.456.789",
        entity__incorporation="CH",
        entity__ppob="CH",
        entity__addresses="Bahnhofstrasse 1, 8001 Zurich",
        register__applies="not_registrable",
        register__excerpt=None,
        register__discrepancy=None,
        **{"layer.entity#1": "Alpenblick AG", "layer.country#1": "CH"},
    )
    matter.answer(BO, "roe.uk_land", True)
    ev = matter.evaluate()

    assert "roe.oe_id" in ev.visible[BO]
    assert open_gates(ev) == ["G1", "G2"]
    assert reasons(ev, Gate.G3) == [
        (
            "blocked",
            "Overseas entity dealing in UK land has no Overseas Entity ID: Land Registry will "
            "not register the transaction (ECTEA 2022)",
        )
    ]
    ev = matter.answer(BO, "roe.oe_id", "OE012345").evaluate()
    assert open_gates(ev) == ["G1", "G2", "G3", "G4"]


def test_register_excerpt_and_a_material_discrepancy() -> None:
    """Hartley Joinery's PSC register has not been downloaded yet; when it is, it names someone else.

    Reg 30A requires the register excerpt before the relationship is established. When it arrives
    it shows a 40% PSC the client never mentioned: a material discrepancy to report to Companies
    House, and one the MLRO should look at.
    """
    matter = entity_matter("company_uk", "commercial_property")
    ev = simple_uk_company(matter, register__excerpt=None).evaluate()
    assert reasons(ev, Gate.G1) == [
        (
            "blocked",
            "Obtain the register excerpt or proof of registration before establishing the "
            "relationship (MLR reg 30A)",
        )
    ]
    matter.answer(BO, "register.excerpt", ["psc-register-hartley-2026-03-02"])
    ev = matter.answer(BO, "register.discrepancy", "material").evaluate()
    assert [m.question_id for m in ev.missing] == ["register.report_ref"]
    assert [r.cause.question_id for r in ev.referrals] == ["register.discrepancy"]
    assert ev.score == 1


def test_beneficial_owner_not_identified_falls_back_to_senior_managing_official() -> None:
    """A charity-linked investment company cannot say who, if anyone, owns more than 25%.

    After exhausting all means the firm may treat the senior managing official as beneficial
    owner, but only with a written record of every step taken and the difficulties met (reg
    28(8)); the MLRO considers whether the opacity is itself suspicious.
    """
    matter = entity_matter("company_uk", "commercial_property")
    simple_uk_company(
        matter,
        **{
            "bo.identified": "not_identified",
            "bo.party#1": None,
            "bo.basis#1": None,
            "bo.direct_pct#1": None,
            "bo.indirect_pct#1": None,
            "bo.verification#1": None,
            "bo.pep#1": None,
            "bo.sanctions#1": None,
        },
    )
    ev = matter.evaluate()
    assert not any(k.startswith("bo.party") for k in ev.visible[BO])
    assert [m.question_id for m in ev.missing] == ["smo.steps", "smo.party", "smo.verification"]
    assert [r.reason for r in ev.referrals] == [
        "Beneficial owner not identified: MLRO to consider whether this is suspicious"
    ]
    assert ev.score == 1

    matter.answer(BO, "smo.steps", "Searched the PSC register.")
    [short] = [m for m in matter.evaluate().missing if m.question_id == "smo.steps"]
    assert short.detail.startswith("Too short")


def test_beneficial_owner_with_a_possible_sanctions_match_holds_the_funds() -> None:
    """Screening the owner of a buyer company returns a possible match on the UK Sanctions List.

    An entity owned more than 50% by a designated person is treated as designated itself; until
    the MLRO has resolved the match, funds are held and every gate is blocked.
    """
    matter = entity_matter("company_uk", "commercial_property")
    ev = simple_uk_company(
        matter, soc__result="possible", **{"bo.sanctions#1": "possible_match"}
    ).evaluate()
    assert {f.cause.question_id for f in ev.funds_held} == {"bo.sanctions", "soc.result"}
    assert open_gates(ev) == []
    assert closed_because(ev, Gate.G1, "blocked", "beneficial owner's sanctions match")
    assert len(ev.referrals) == 2


def test_trust_roles_are_asked_for_trusts() -> None:
    """The Ashdown Family Trust sells a holiday let; its trustees instruct us.

    For a trust the settlor, trustees, beneficiaries (or their class) and anyone with control are
    all beneficial owners: the roles section appears as soon as the matter is opened for a trust,
    and share percentages, which mean nothing for a trust, are not asked.
    """
    matter = entity_matter("trust", "residential_sale")
    ev = matter.evaluate()
    assert "trust.settlor" in ev.visible[BO]

    matter.answer_all(
        BO,
        {
            "entity.type": "trust",
            "bo.identified": "identified",
            "bo.party#1": "p-trustee",
            "bo.basis#1": ["trustee_or_council"],
        },
    )
    ev = matter.evaluate()
    trust_missing = [m.question_id for m in ev.missing if m.question_id.startswith("trust.")]
    assert trust_missing == [
        "trust.settlor",
        "trust.trustees",
        "trust.beneficiaries",
        "trust.controllers",
    ]  # the protector is optional: many trusts have none
    assert "bo.direct_pct#1" not in ev.visible[BO]
    assert "entity.officers" not in ev.visible[BO]


def test_spawned_for_an_entity_party_of_an_individual_client() -> None:
    """Jane Smith buys a buy-to-let through her own company, Smith Lettings Ltd.

    The individual CDD checklist starts the beneficial-ownership checklist for the company as a
    party of the matter.
    """
    matter = Matter("solicitor", "individual", "residential_purchase")
    matter.answer_all(
        "solicitor-cdd",
        {
            "scope.activity": "real_property",
            "client.relationship": "new",
            "client.capacity": "through_entity",
            "client.entity": "p-smith-lettings",
        },
    )
    ev = matter.evaluate()
    assert (BO, "p-smith-lettings", Gate.G1) in {
        (s.checklist_id, s.subject, s.gate) for s in ev.spawns
    }
    matter.start_spawned()
    assert f"{BO}@p-smith-lettings" in matter.started
    ev = matter.answer(BO, "entity.type", "company_uk", subject="p-smith-lettings").evaluate()
    # Trust roles follow the entity's own type, not the client type of the matter.
    assert "trust.settlor" not in ev.visible[f"{BO}@p-smith-lettings"]
