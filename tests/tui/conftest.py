"""TUI fixtures: a real store on tmp_path, a fixed clock, deterministic ids, isolated settings."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from duediligence.compose import open_casefile
from duediligence.config import Settings
from duediligence.domain.case import Actor, Person, Supervisor
from duediligence.domain.vocabulary import Role
from duediligence.services import casefile as casefile_module
from duediligence.services import screening as screening_module
from duediligence.tui.app import DueDiligenceApp

TODAY = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TRAINED = date(2026, 1, 15)

# Supervising people act only once bound to a computer account (issue 13, finding 3).
PEOPLE = (
    Person(id="ann", name="Ann Fee", roles=(Role.FEE_EARNER,), trained_on=TRAINED),
    Person(
        id="bob", name="Bob Super", roles=(Role.SUPERVISOR,), trained_on=TRAINED, os_users=("test",)
    ),
    Person(
        id="sam",
        name="Sam Senior",
        roles=(Role.SENIOR_MANAGER,),
        trained_on=TRAINED,
        os_users=("test",),
    ),
    Person(
        id="mo",
        name="Mo Laundering-Officer",
        roles=(Role.MLRO,),
        trained_on=TRAINED,
        os_users=("test",),
    ),
)


@dataclass
class FixedClock:
    """A clock that moves a second per reading, so records order and runs repeat exactly."""

    moment: datetime = TODAY

    def now(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and platform directories under tmp_path; record ids deterministic."""
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("DUEDILIGENCE_CONFIG", str(tmp_path / "no-config.toml"))
    for name in ("DUEDILIGENCE_STORE", "DUEDILIGENCE_USER", "DUEDILIGENCE_THEME"):
        monkeypatch.delenv(name, raising=False)
    # Times typed without a zone are local time, and dialogs name the zone: the same everywhere.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    counter = itertools.count(1)
    monkeypatch.setattr(casefile_module, "new_id", lambda: f"id{next(counter):06d}")
    monkeypatch.setattr(screening_module, "new_id", lambda: f"sc{next(counter):06d}")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "casefile.sqlite3"


@pytest.fixture
def seeded(store_path: Path) -> Path:
    """A store with a firm and four people (fee earner, supervisor, senior manager, MLRO)."""
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.init_firm(
            firm_name="Hartley & Shaw LLP",
            supervisor=Supervisor.SRA,
            fwra_version="3.1",
            fwra_date=date(2026, 1, 5),
            first_user=PEOPLE[2],
            os_user="test",
            fwra_approver="sam",
        )
        actor = Actor(user="sam", os_user="test")
        for person in (PEOPLE[0], PEOPLE[1], PEOPLE[3]):
            cf.add_person(actor, person)
    return store_path


def make_app(store_path: Path, user: str | None = "ann", **settings: object) -> DueDiligenceApp:
    """The app on a store, acting as `user`, on the fixed clock."""
    return DueDiligenceApp(
        Settings(store=store_path, user=user, **settings),  # type: ignore[arg-type]
        clock=FixedClock(),
        os_user="test",
    )


@pytest.fixture
def app_factory() -> Iterator[type[DueDiligenceApp]]:
    yield DueDiligenceApp


@pytest.fixture
def example(store_path: Path) -> Path:
    """A store with the example matter and its firm, as first-run set-up leaves it."""
    from duediligence.services.example import EXAMPLE_PEOPLE, load_example

    first = Person(
        id="alex",
        name="Alex Smith",
        roles=(Role.MLRO, Role.SENIOR_MANAGER),
        trained_on=TRAINED,
    )
    with open_casefile(store_path, clock=FixedClock()) as opened:
        cf = opened.casefile
        cf.init_firm(
            firm_name="Hartley & Shaw LLP",
            supervisor=Supervisor.SRA,
            fwra_version="3.1",
            fwra_date=date(2026, 1, 5),
            first_user=first,
            os_user="test",
            fwra_approver="alex",
        )
        actor = Actor(user="alex", os_user="test")
        for person in EXAMPLE_PEOPLE:
            cf.add_person(
                actor, person.model_copy(update={"trained_on": TRAINED, "os_users": ("test",)})
            )
        load_example(cf, actor, "pshah")
    return store_path


async def settle(pilot: Pilot[None]) -> None:
    """Workers finished and their messages handled (a save, a re-read, a render child)."""
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def notes(app: App[None]) -> list[str]:
    """The texts of the notifications the app has shown."""
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def no_pause_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typing never pauses long enough to save: only what the test does next can save it."""
    from duediligence.tui.widgets import answer

    monkeypatch.setattr(answer, "TEXT_PAUSE", 600)
