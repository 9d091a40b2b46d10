"""What a person types to screen a name (`screen --dob/--nationality/--gender`, batch rows),
checked before it is screened: a date of birth that is no date, a country that is none or a
gender the matcher does not know would otherwise be ignored and answer "no hits"."""

from __future__ import annotations

import datetime as dt
import re

from duediligence.domain.errors import DueDiligenceError
from duediligence.screening.countries import country_code
from duediligence.screening.model import Kind, Query
from duediligence.screening.normalise import normalise_gender

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class InvalidQuery(DueDiligenceError):
    """One field of a screening query that cannot be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def checked_query(
    name: str,
    *,
    kind: Kind | None = None,
    date_of_birth: str | None = None,
    nationality: str | None = None,
    gender: str | None = None,
    today: dt.date | None = None,
) -> Query:
    """The query, or InvalidQuery naming the field ("date_of_birth", "nationality", "gender")."""
    dob = (date_of_birth or "").strip() or None
    if dob is not None:
        _check_dob(dob, today or dt.date.today())
    country = (nationality or "").strip() or None
    if country is not None and country_code(country) is None:
        raise InvalidQuery(
            "nationality", f"'{country}' is not a country (use an ISO code such as GB)"
        )
    sex = (gender or "").strip() or None
    if sex is not None and normalise_gender(sex) is None:
        raise InvalidQuery("gender", f"'{sex}' is not male or female")
    return Query(name=name, kind=kind, date_of_birth=dob, nationality=country, gender=sex)


def _check_dob(value: str, today: dt.date) -> None:
    match = _PARTIAL.match(value)
    wrong = f"'{value}' is not a date; write yyyy, yyyy-mm or yyyy-mm-dd"
    if match is None:
        raise InvalidQuery("date_of_birth", wrong)
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        first = dt.date(year, month or 1, day or 1)
    except ValueError:
        raise InvalidQuery("date_of_birth", wrong) from None
    if first > today:
        raise InvalidQuery("date_of_birth", f"{value} is in the future")
