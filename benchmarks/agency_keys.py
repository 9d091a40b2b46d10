"""How many keys a negotiator presses to finish an ordinary sale file in the TUI (issue 20,
finding 8: about 305 named keys and 1,650 typed characters were counted by hand; target: at most
100 named keys).

The ordinary file: an estate agency's seller at instruction, a UK individual, low risk (the
buyer's side is not driven yet). The firm
is set up beforehand (as set-up leaves it, with the UK sanctions and a PEP list imported); the
negotiator starts at the matters list and presses, through Pilot, every key a person would: the
new-matter dialog, each question the file still misses (F2 jumps to the next), the evidence
(F3, a file path, its type, "verified now" and how), and the sign-off (F7). Named keys (Tab,
Enter, F2, arrows ...) and typed characters are counted apart; a mouse click would count as a
named key. It prints the counts, the seconds, and anything still missing at the end.

    python -m benchmarks.agency_keys
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from duediligence.compose import open_casefile
from duediligence.config import Settings
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.checklist import QuestionType
from duediligence.domain.vocabulary import FirmKind, Role

REFERENCE = "S-1"
NEGOTIATOR = Actor(user="nina", os_user="bench")
LISTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "screening"

TYPED: dict[str, str] = {
    "property.address": "12 Elm Road, Leeds LS6 2AB",
    "property.price": "425000",
    "customer.address": "3 Park Lane, Leeds LS1 1AA",
    "customer.residence": "GB",
    "customer.occupation": "Teacher, Leeds City Council",
    "verification.completed_on": "today",
    "notice.reg41_given_on": "today",
    "assessment.rationale": (
        "UK resident seller of her own home of twelve years, a teacher with the city council. "
        "Identity seen in person against her passport; no PEP or sanctions match on the lists "
        "in use; nobody acting for her; price in line with the street: low risk."
    ),
}
"""What the negotiator types for each question (dates: today's, as typed)."""

CHOSEN: dict[str, str] = {
    "property.super_prime": "no",
    "acting.present": "no",
    "verification.method": "in_person",
    "pep.declaration": "no",
    "assessment.rating": "low",
}
"""The option chosen for each choice question."""

EVIDENCE: dict[str, tuple[str, ...]] = {
    "verification.evidence": ("passport", "council_tax_bill"),
    "pep.screening_evidence": ("pep_screening_report",),
    "sanctions.evidence": ("sanctions_screening_report",),
}
"""The documents filed for each evidence question (identity and address: two)."""


class Counter:
    """Presses keys through Pilot and counts them: named keys and typed characters apart."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.named = 0
        self.typed = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            if len(key) == 1 or key == "space":
                self.typed += 1
            else:
                self.named += 1
        await self.pilot.press(*keys)
        await settle(self.pilot)

    async def type(self, text: str) -> None:
        await self.press(*("space" if c == " " else c for c in text))

    async def click(self, selector: str) -> None:
        self.named += 1
        await self.pilot.click(selector)
        await settle(self.pilot)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.pause()


def build(store: Path, folder: Path) -> None:
    """The agency as set-up leaves it, with its lists imported by the firm's MLRO."""
    today = date.today()
    with open_casefile(store) as opened:
        cf = opened.casefile
        cf.init_firm(
            firm_name="Marsh & Field Estate Agents",
            supervisor=Supervisor.HMRC,
            kind=FirmKind.ESTATE_AGENCY,
            fwra_version="1",
            fwra_date=today,
            first_user=Person(
                id="mlro",
                name="Mo Officer",
                roles=(Role.MLRO,),
                trained_on=today,
                os_users=("bench",),
            ),
            os_user="bench",
            approver=Person(
                id="sol", name="Sol Owner", roles=(Role.SENIOR_MANAGER,), trained_on=today
            ),
        )
        mlro = Actor(user="mlro", os_user="bench")
        cf.add_person(
            mlro, Person(id="nina", name="Nina Neg", roles=(Role.FEE_EARNER,), trained_on=today)
        )
        screening = opened.screening()
        screening.import_list(mlro, LISTS / "uksl_sample.csv", "uksl-csv")
        screening.import_list(mlro, LISTS / "pep_sample.csv", "pep-csv")
    for names in EVIDENCE.values():
        for name in names:
            (folder / f"{name}.pdf").write_bytes(b"%PDF-1.7 " + name.encode())


async def drive(store: Path, folder: Path) -> tuple[Counter, float, list[str]]:
    from duediligence.tui.app import DueDiligenceApp
    from duediligence.tui.screens.matter import MatterScreen

    app = DueDiligenceApp(Settings(store=store, user="nina"), os_user="bench")
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Counter(pilot)
        await settle(pilot)
        # The new-matter dialog: an agency opens a seller by default; reference, then the
        # client's name three fields on (sale kind, client type between), nationality and
        # date of birth (asked here once, not again by the CDD).
        await keys.press("n")
        await keys.type(REFERENCE)
        await keys.press("tab", "tab", "tab")
        await keys.type("Sarah Jones")
        await keys.press("tab")
        await keys.type("GB")
        await keys.press("tab")
        await keys.type("02/01/1980")
        await keys.press("enter")
        screen = app.screen
        assert isinstance(screen, MatterScreen), screen
        done: set[str] = set()
        for _ in range(60):
            view = screen.view
            assert view is not None
            missing = [m.question_id for m in view.evaluation.missing]
            missing = [q for q in missing if q not in done and not q.startswith("signoff.")]
            if not missing:
                break
            await keys.press("f2")
            assert screen.current is not None
            found = screen.question_at(screen.current)
            assert found is not None
            _, _, question = found
            key = question.id
            done.add(key)
            if key in EVIDENCE:
                for document in EVIDENCE[key]:
                    await attach(keys, app, folder, key, document)
                continue
            if key in CHOSEN:
                options = (
                    ["yes", "no"]
                    if question.type is QuestionType.YESNO
                    else ["low", "medium", "high"]
                    if question.type is QuestionType.RATING and not question.options
                    else [o.value for o in question.options]
                )
                await keys.press(*["down"] * options.index(CHOSEN[key]), "enter")
                continue
            text = TYPED.get(key)
            if text is None:  # the sign-off's own questions: F7 fills them
                continue
            if text == "today":
                text = date.today().strftime("%d/%m/%Y")
            await keys.type(text)
            if question.type is QuestionType.COUNTRY or question.type not in (QuestionType.TEXT,):
                await keys.press("enter")
        # Sign off: the rating and rationale are answered; the dialog confirms them.
        await keys.press("f7")
        await keys.click("#ok")
        if not isinstance(app.screen, MatterScreen):
            print(f"sign-off: {app.screen.query_one('#sign-error').render()}", file=sys.stderr)
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        view = app.casefile.view(REFERENCE)
        left = [f"{m.question_id} ({m.detail})" for m in view.evaluation.missing]
    return keys, time.perf_counter() - start, left


async def attach(keys: Counter, app: object, folder: Path, key: str, document: str) -> None:
    """F3 on the question: the file's path, its type (preselected when the question takes one
    kind), past issuer, number, date and expiry to "verified now", and how."""
    from duediligence.tui.modals.evidence import AttachEvidence
    from duediligence.tui.screens.matter import MatterScreen

    pilot = keys.pilot
    await keys.press("f3")
    dialog = pilot.app.screen
    assert isinstance(dialog, AttachEvidence), dialog
    await keys.type(str(folder / f"{document}.pdf"))
    if len(dialog.documents) == 1:
        await keys.press("tab", "tab", "tab", "tab", "tab", "tab", "space", "tab")
    else:
        # The list opens on its prompt, above the first type.
        index = dialog.documents.index(document) + 1
        await keys.press("tab", "enter", *["down"] * index, "enter")
        await keys.press("tab", "tab", "tab", "tab", "tab", "space", "tab")
    await keys.type("original seen")
    await keys.press("enter")
    for _ in range(100):
        if isinstance(pilot.app.screen, MatterScreen):
            return
        await pilot.pause(0.05)
    said = pilot.app.screen.query_one("#evidence-error").render()
    print(f"{key}: {document} not attached: {said}", file=sys.stderr)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("DUEDILIGENCE_CONFIG", str(folder / "no-config.toml"))
        store = folder / "agency.sqlite3"
        build(store, folder)
        keys, seconds, left = asyncio.run(drive(store, folder))
    print(
        f"ordinary sale (seller at instruction): {keys.named} named keys, "
        f"{keys.typed} typed characters, {seconds:.1f} s (target: at most 100 named keys)"
    )
    if left:
        print(f"still missing ({len(left)}): " + "; ".join(left))
    else:
        print("nothing missing: the file is finished")


if __name__ == "__main__":
    main()
