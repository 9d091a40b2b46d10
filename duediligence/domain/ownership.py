"""Beneficial ownership worked out through the layers of a structure (issue 15, item 6).

The beneficial-ownership checklist records each layer of a structure as "this entity is held
by that holder, to this percentage" (`layer.entity`, `layer.holder`, `layer.percent`, one entry
a layer), and each beneficial owner with a typed direct and indirect percentage
(`bo.direct_pct`, `bo.indirect_pct`). A typed percentage is only what someone worked out by
hand; an inspector wants it computed from the layers (MLR reg 5: more than 25% "directly or
indirectly"), and a difference between the two shown.

Rules:
- a holder is the entity of another layer when their names match once case, spacing and a
  trailing bracketed registration number are ignored ("Steppe Crest Properties Ltd (15873302)"
  is held by ... and "Steppe Crest Properties Ltd" holds ...);
- the structure's top is every layer entity no other layer holds: the client entity;
- a holder that is no layer's entity is an ultimate holder (a person, or an entity not looked
  through): its share of a top entity is the sum, over every chain of holdings from it to that
  entity, of the product of the percentages along the chain;
- a layer whose holders add up to more than 100%, a cycle, or a layer without a percentage is
  named as a problem, and chains through a layer without a percentage are not counted;
- a beneficial owner's typed total (direct + indirect) that differs from the computed share by
  more than `TOLERANCE_POINTS` is a mismatch.

Pure functions; no I/O.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

TOLERANCE_POINTS: Final = Decimal("0.5")
"""Percentage points a typed holding may differ from the computed one (rounding by hand)."""

REG5_THRESHOLD: Final = Decimal("25")
"""MLR reg 5: a beneficial owner holds *more than* 25% of the shares or voting rights."""

_BRACKETED: Final = re.compile(r"\s*\([^)]*\)\s*$")


def name_key(name: str) -> str:
    """A name as compared across layers (case, spacing and a trailing "(number)" ignored)."""
    return " ".join(_BRACKETED.sub("", name).casefold().split())


@dataclass(frozen=True)
class Holding:
    """One layer: `holder` holds `percent` of `entity`."""

    entry: int
    """The checklist entry (layer number)."""
    entity: str
    holder: str
    percent: Decimal | None
    jurisdiction: str | None = None


@dataclass(frozen=True)
class OwnerShare:
    """An ultimate holder's share of a top entity, computed through the layers."""

    holder: str
    entity: str
    """The top entity (the client)."""
    percent: Decimal
    chains: tuple[tuple[str, ...], ...]
    """Each chain of names from the holder to the entity it counts through."""
    typed: Decimal | None = None
    """The beneficial owner's typed direct + indirect holding, when one is recorded."""

    @property
    def mismatch(self) -> bool:
        """The typed holding differs from the computed one beyond the tolerance."""
        return self.typed is not None and abs(self.typed - self.percent) > TOLERANCE_POINTS

    @property
    def over_threshold(self) -> bool:
        """More than 25%: a beneficial owner by ownership (reg 5)."""
        return self.percent > REG5_THRESHOLD


@dataclass(frozen=True)
class Structure:
    """An ownership structure as recorded in one checklist run, worked through."""

    holdings: tuple[Holding, ...]
    tops: tuple[str, ...]
    """The entities nothing else in the structure holds (the client entity)."""
    shares: tuple[OwnerShare, ...]
    """Each ultimate holder's computed share of each top entity, largest first."""
    problems: tuple[str, ...]
    """Layers over 100%, cycles, layers without a percentage, typed holdings that differ."""
    levels: Mapping[str, int]
    """Each name's distance from the top (0: a top entity), by `name_key`: for drawing."""
    names: Mapping[str, str]
    """Each `name_key` as first written."""


def _percent(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def holdings_from_answers(answers: Mapping[str, object]) -> tuple[Holding, ...]:
    """The layers one beneficial-ownership run recorded (its current answers, by key)."""
    entries = sorted(
        {
            int(key.rpartition("#")[2])
            for key in answers
            if key.startswith("layer.") and key.rpartition("#")[2].isdigit()
        }
    )
    found = []
    for n in entries:
        entity = answers.get(f"layer.entity#{n}")
        holder = answers.get(f"layer.holder#{n}")
        if not isinstance(entity, str) or not isinstance(holder, str):
            continue
        country = answers.get(f"layer.country#{n}")
        found.append(
            Holding(
                entry=n,
                entity=entity.strip(),
                holder=holder.strip(),
                percent=_percent(answers.get(f"layer.percent#{n}")),
                jurisdiction=country if isinstance(country, str) else None,
            )
        )
    return tuple(found)


def typed_holdings(
    answers: Mapping[str, object], party_names: Mapping[str, str]
) -> dict[str, Decimal]:
    """Each beneficial owner's typed direct + indirect holding, by name (`bo.party#n` names a
    party by label or id: `party_names` maps both to the name)."""
    found: dict[str, Decimal] = {}
    for key, value in answers.items():
        base, _, n = key.partition("#")
        if base != "bo.party" or not isinstance(value, str):
            continue
        direct = _percent(answers.get(f"bo.direct_pct#{n}"))
        indirect = _percent(answers.get(f"bo.indirect_pct#{n}"))
        if direct is None and indirect is None:
            continue
        name = party_names.get(value, value)
        found[name] = (direct or Decimal(0)) + (indirect or Decimal(0))
    return found


def structure_of(
    holdings: tuple[Holding, ...], typed: Mapping[str, Decimal] | None = None
) -> Structure:
    """Work a structure through (see the module docstring). `typed`: each beneficial owner's
    typed direct + indirect holding, by name."""
    names: dict[str, str] = {}
    held_by: dict[str, list[Holding]] = defaultdict(list)
    for holding in holdings:
        for name in (holding.entity, holding.holder):
            names.setdefault(name_key(name), name)
        held_by[name_key(holding.entity)].append(holding)
    entities = set(held_by)
    holders = {name_key(h.holder) for h in holdings}
    tops = [k for k in dict.fromkeys(name_key(h.entity) for h in holdings) if k not in holders]
    problems: list[str] = []
    for key, layer in held_by.items():
        if any(h.percent is None for h in layer):
            problems.append(f"{names[key]}: a holding without a percentage (not counted)")
        total = sum((h.percent for h in layer if h.percent is not None), Decimal(0))
        if total > Decimal(100):
            problems.append(f"{names[key]}: its holders add up to {_text(total)}%, over 100%")
    if holdings and not tops:
        problems.append("every entity is held by another: the structure is a cycle")

    shares: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    chains: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
    levels: dict[str, int] = {}

    def walk(top: str, key: str, share: Decimal, path: tuple[str, ...]) -> None:
        levels[key] = max(levels.get(key, 0), len(path) - 1)
        for holding in held_by.get(key, ()):
            holder = name_key(holding.holder)
            if holder in path:
                message = f"{names[holder]} holds itself through the layers (a cycle)"
                if message not in problems:
                    problems.append(message)
                continue
            if holding.percent is None:
                continue
            through = share * holding.percent / Decimal(100)
            if holder in entities:
                walk(top, holder, through, (*path, holder))
            else:
                levels[holder] = max(levels.get(holder, 0), len(path))
                shares[(holder, top)] += through
                chains[(holder, top)].append(tuple(names[k] for k in (holder, *reversed(path))))

    for top in tops:
        walk(top, top, Decimal(100), (top,))
    typed_by_key = {name_key(k): v for k, v in (typed or {}).items()}
    owned = [
        OwnerShare(
            holder=names[holder],
            entity=names[top],
            percent=percent,
            chains=tuple(chains[(holder, top)]),
            typed=typed_by_key.get(holder),
        )
        for (holder, top), percent in shares.items()
    ]
    owned.sort(key=lambda s: (-s.percent, s.holder))
    for share in owned:
        if share.mismatch and share.typed is not None:
            problems.append(
                f"{share.holder}: typed as {_text(share.typed)}%, computed through the layers "
                f"as {_text(share.percent)}%"
            )
    return Structure(
        holdings=holdings,
        tops=tuple(names[t] for t in tops),
        shares=tuple(owned),
        problems=tuple(problems),
        levels=levels,
        names=names,
    )


def percent_text(value: Decimal) -> str:
    """A percentage as printed: up to two decimal places, no trailing zeros ("12.5%")."""
    return f"{_text(value)}%"


def _text(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"))
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
