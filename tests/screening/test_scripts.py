"""Names across scripts and languages: skeletons, Korean keys, Wade-Giles, titles, inflections."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

from duediligence.screening.importers.common import build_snapshot
from duediligence.screening.index import ScreeningIndex
from duediligence.screening.japanese import japanese_readings
from duediligence.screening.model import Band, Kind, ListEntry, ListName, Query
from duediligence.screening.normalise import ALGORITHM_VERSION, JAPANESE, name_forms
from duediligence.screening.scoring import REVIEW_THRESHOLD, compare_names
from duediligence.screening.scripts import (
    ABJAD,
    HAN,
    abjad_skeleton,
    korean_key,
    latin_skeleton,
    native_script,
    wade_giles,
)

from .conftest import FIXTURES

ACROSS = [
    ("محمد بن سلمان", "Mohammed bin Salman"),
    ("عبد الفتاح السيسي", "Abdel Fattah el-Sisi"),
    ("معمر القذافي", "Muammar Gaddafi"),
    ("حسن نصر الله", "Hassan Nasrallah"),
    ("عبد القادر لاغوب", "ABDELKADER LAAGOUB"),
    ("محمود احمدی‌نژاد", "Mahmoud Ahmadinejad"),
    ("בנימין נתניהו", "Binyamin Netanyahu"),
    ("Αλέξανδρος Τσίπρας", "Alexander Tsipras"),
    ("김정은", "Kim Jong Un"),
    ("이명박", "Lee Myung-bak"),
    ("최룡해", "Choe Ryong Hae"),
    ("毛澤東", "Mao Tse-tung"),
    ("鄧小平", "Teng Hsiao-ping"),
    ("Präsident Putin", "Vladimir Vladimirovich Putin"),
    ("Президент Путин", "Vladimir Vladimirovich Putin"),
    ("الشيخ حسن نصر الله", "Hassan Nasrallah"),
    ("Vladimiras Putinas", "Vladimir Putin"),
    ("Vlagyimir Putyin", "Vladimir Putin"),
    ("Bibi Netanyahu", "Benjamin Netanyahu"),
    # Kanji names read with Japanese name readings, whole or character by character, long
    # vowels written once or twice.
    ("安倍晋三", "Shinzo Abe"),
    ("安倍晋三", "ABE, Shinzou"),
    ("松本智津夫", "Chizuo Matsumoto"),
    ("田中秀人", "Hideto Tanaka"),  # given name read per character (秀 hide, 人 to)
    ("정의용", "Chung Eui-yong"),
    ("이승만", "Syngman Rhee"),
]


@pytest.mark.parametrize(("first", "second"), ACROSS)
def test_one_person_across_scripts_and_languages_is_a_hit_both_ways(
    first: str, second: str
) -> None:
    assert compare_names(first, second).final_score >= REVIEW_THRESHOLD
    assert compare_names(second, first).final_score >= REVIEW_THRESHOLD


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("高石早苗", "高市早苗"),  # one kanji differs: the same reading, another name
        ("김정은", "김정일"),
        ("김정은", "Kim Jong Il"),
        ("محمد بن سلمان", "سلمان بن محمد"),  # son and father swapped
        ("Muhammad bin Salman", "Salman bin Muhammad"),
        ("بنيامين غانتس", "Benjamin Netanyahu"),
        ("Президент Путин", "Vladimir Pugin"),  # a title does not excuse a different surname
        # Romanised syllables one letter apart are other syllables, not typos.
        ("成 朱", "CHEN, Zhu"),
        ("王成", "WANG, Chen"),
        ("张明", "CHANG, Myong-ho"),
        ("志强 王", "WANG, Zhiqing"),
        ("주원 박", "PAK, Do Chun"),  # 주원 is two syllables, Chun one
        ("영호 이", "HO, Yong Il"),  # 이 is the syllable I, not an initial
        ("安倍晋三", "Shinji Abe"),
    ],
)
def test_different_people_are_not_made_one_by_romanisation(first: str, second: str) -> None:
    assert compare_names(first, second).final_score < REVIEW_THRESHOLD
    assert compare_names(second, first).final_score < REVIEW_THRESHOLD


def test_same_script_names_compare_in_their_script_first() -> None:
    explanation = compare_names("高石早苗", "高市早苗")
    assert explanation.final_score < 0.6
    assert {a.method for a in explanation.alignment} == {"exact"}
    assert explanation.unmatched_query == ("石",)
    assert compare_names("高市早苗", "高市早苗").final_score == 1.0


def test_skeletons_meet_across_romanisations() -> None:
    assert abjad_skeleton("محمد") == latin_skeleton("mohamed") == latin_skeleton("muhammad")
    assert abjad_skeleton("القذافي") == latin_skeleton("qadhafi") == latin_skeleton("gaddafi")
    assert abjad_skeleton("الراوي") == latin_skeleton("rawi")  # the article is not in it
    assert latin_skeleton("abdulrahman") == abjad_skeleton("عبدالرحمن")
    assert abjad_skeleton("נתניהו") == latin_skeleton("netanyahu")


def test_korean_keys_join_revised_and_mccune_reischauer() -> None:
    assert korean_key("jeong") == korean_key("jung") == korean_key("chong")
    assert korean_key("hui") == korean_key("hee")
    assert [wade_giles(s) for s in ("mao", "ze", "dong")] == ["mao", "tse", "tung"]
    assert [wade_giles(s) for s in ("deng", "xiao", "ping")] == ["teng", "hsiao", "ping"]


def test_scripts_are_recognised_and_titles_recorded() -> None:
    assert native_script("محمد بن سلمان") == ABJAD
    assert native_script("毛澤東") == HAN
    forms = name_forms("الشيخ حسن نصر الله", entity=False)
    assert forms[0].removed == ("الشيخ",)
    assert "الشيخ" not in forms[0].tokens
    explanation = compare_names("Präsident Putin", "Vladimir Vladimirovich Putin")
    assert explanation.algorithm_version == ALGORITHM_VERSION == "dd-screening-1.2.0"


def test_kanji_read_as_japanese_only_when_they_split_into_a_known_surname_and_given_name() -> None:
    assert japanese_readings("安倍晋三") == ("abe shinzo",)
    assert japanese_readings("安倍 晋三") == ("abe shinzo",)
    assert "suga yoshihide" in japanese_readings("菅義偉")
    assert japanese_readings("习近平") == ()  # a Chinese name keeps its pinyin only
    assert japanese_readings("林志强") == ()  # 林 is Hayashi, but 强 is no Japanese name kanji
    forms = name_forms("安倍晋三", entity=False)
    assert [f.tokens for f in forms if f.variant == JAPANESE] == [("abe", "shinzo")]
    assert ("an", "bei", "jin", "san") in [f.tokens for f in forms]  # pinyin kept beside it


def _list(*entries: ListEntry) -> ScreeningIndex:
    return ScreeningIndex([build_snapshot("pep-csv", None, "0" * 64, [Path("x.csv")], entries)])


def test_index_finds_latin_list_names_from_arabic_script_and_hangul_queries() -> None:
    index = _list(
        ListEntry(id="1", kind=Kind.PERSON, names=(ListName(text="Muammar Qadhafi"),)),
        ListEntry(id="2", kind=Kind.PERSON, names=(ListName(text="KIM Jong Un"),)),
        ListEntry(id="3", kind=Kind.PERSON, names=(ListName(text="Mahmoud Abbas"),)),
    )
    arabic = index.screen(Query(name="معمر القذافي", kind=Kind.PERSON))
    assert arabic.hits[0].entry.id == "1"
    assert arabic.hits[0].band is not Band.NO_ALERT
    korean = index.screen(Query(name="김정은", kind=Kind.PERSON))
    assert korean.hits[0].entry.id == "2"
    assert korean.hits[0].band is not Band.NO_ALERT


def test_index_finds_an_entry_known_only_in_arabic_script_from_a_latin_query() -> None:
    index = _list(
        ListEntry(id="1", kind=Kind.PERSON, names=(ListName(text="رامي مخلوف"),)),
        ListEntry(id="2", kind=Kind.PERSON, names=(ListName(text="Rami Haddad"),)),
    )
    result = index.screen(Query(name="Rami Makhlouf", kind=Kind.PERSON))
    assert [hit.entry.id for hit in result.hits] == ["1"]
    assert result.hits[0].band is not Band.NO_ALERT
    assert {a.method for a in result.hits[0].explanation.alignment} == {"skeleton"}


def test_cross_script_dev_set_is_what_its_script_writes() -> None:
    """The committed CSV is exactly the generating script's output (nobody edited it by hand)."""
    path = FIXTURES / "name-pairs" / "make_cross_script.py"
    spec = importlib.util.spec_from_file_location("make_cross_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_cross_script"] = module
    spec.loader.exec_module(module)
    expected = [(*r[:3], "un", *r[3:]) for r in module.un_pairs()]
    expected += [(*r[:3], "hand", *r[3:]) for r in module.HAND]
    with (FIXTURES / "name-pairs" / "cross_script.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(expected) > 600
    for row, (name1, name2, match, source, script, note) in zip(rows, expected, strict=True):
        assert (row["name1"], row["name2"], row["is_match"], row["set"]) == (
            name1,
            name2,
            "true" if match else "false",
            source,
        )
        assert (row["script"], row["note"]) == (script, note)
