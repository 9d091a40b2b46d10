"""Screening through the index: real UN and OFAC lists, project fixtures, qualifiers."""

from __future__ import annotations

import csv

from duediligence.screening.index import ScreeningIndex
from duediligence.screening.model import Band, Kind, Query, Snapshot
from duediligence.screening.normalise import ALGORITHM_VERSION

from .conftest import FIXTURES


def test_un_positives_sample_is_found(un_index: ScreeningIndex) -> None:
    with (FIXTURES / "people" / "positives_un_untreated.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:120]
    found = 0
    for row in rows:
        query = Query(
            name=row["full_name"],
            kind=Kind.PERSON,
            date_of_birth=row["date_of_birth"] or None,
            nationality=row["nationality"] or None,
        )
        result = un_index.screen(query, limit=1)
        if result.hits and result.hits[0].band is not Band.NO_ALERT:
            found += 1
    assert found >= 118


def test_hit_explanation_names_entry_variant_and_snapshot(
    un_index: ScreeningIndex, un_snapshot: Snapshot
) -> None:
    result = un_index.screen(
        Query(name="Saddam Husayn al-Tikriti", kind=Kind.PERSON, nationality="IQ")
    )
    assert result.algorithm_version == ALGORITHM_VERSION
    assert result.snapshot_ids == (un_snapshot.id,)
    top = result.hits[0]
    assert top.entry.id == "IQi.001"
    assert top.band is Band.STRONG
    explanation = top.explanation
    assert explanation.snapshot_id == un_snapshot.id
    assert explanation.entry_id == "IQi.001"
    assert "SADDAM" in explanation.matched_name.upper()
    assert {pair.method for pair in explanation.alignment} >= {"exact"}
    assert [q.feature for q in explanation.qualifiers] == ["nationality"]


def test_disagreeing_date_of_birth_lowers_the_score(un_index: ScreeningIndex) -> None:
    plain = un_index.screen(Query(name="ERIC BADEGE", kind=Kind.PERSON)).hits[0]
    other = un_index.screen(
        Query(name="ERIC BADEGE", kind=Kind.PERSON, date_of_birth="1990-01-01")
    ).hits[0]
    assert plain.score == 1.0 and plain.band is Band.STRONG
    assert other.score < plain.score and other.band is Band.REVIEW
    assert other.explanation.qualifiers[0].detail == "years disjoint"


def test_kind_filter_and_unrelated_names(un_index: ScreeningIndex) -> None:
    assert un_index.screen(Query(name="Hannah Lynn Smith", kind=Kind.PERSON)).hits == ()
    entity_only = un_index.screen(Query(name="ERIC BADEGE", kind=Kind.ENTITY))
    assert all(hit.entry.kind is Kind.ENTITY for hit in entity_only.hits)


def test_ofac_typo_is_found_through_deletion_neighbours(ofac_snapshot: Snapshot) -> None:
    index = ScreeningIndex([ofac_snapshot])
    result = index.screen(Query(name="Banco Nacional de Cubba", kind=Kind.ENTITY))
    assert result.hits[0].entry.id == "306"
    assert result.hits[0].band is not Band.NO_ALERT


def test_transliterated_queries_find_pep_fixture_entries(fixture_index: ScreeningIndex) -> None:
    for name, expected in [
        ("Kasym Zhomart Toqaev", "pep-1"),
        ("Касым-Жомарт Токаев", "pep-1"),
        ("Dariga Nazarbaeva", "pep-2"),
        ("Назарбаева Дарига", "pep-2"),
        ("Ivan Sidorov", "RUS9001"),
        ("Технопром Трейдинг ООО", "RUS9003"),
    ]:
        result = fixture_index.screen(Query(name=name))
        assert result.hits, name
        assert result.hits[0].entry.id == expected, name
        assert result.hits[0].band is not Band.NO_ALERT, name
