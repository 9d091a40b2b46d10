"""Write cross_script.csv: name pairs across scripts and languages (run from anywhere).

    python tests/data/screening/name-pairs/make_cross_script.py

Two sources, both written to one file with the columns
`name1,name2,is_match,set,script,note`:

1. `un`: the UN Consolidated List's own original-script names (`NAME_ORIGINAL_SCRIPT`, mostly
   Arabic, some Cyrillic) paired with the same entry's Latin primary name (a match), and with the
   Latin primary name of another entry that shares its first Latin name part but not its last (a
   hard non-match: same common given name, different person).
2. `hand`: pairs written by hand for the scripts and conventions the list lacks: Arabic, Persian,
   Urdu, Hebrew, Greek, Armenian, Georgian, Korean (Kim/Gim, Park/Bak, Lee/I/Yi/Ri), Japanese
   (kanji read with Japanese name readings), Chinese (pinyin and Wade-Giles), titles in other
   languages and inflected surnames (Lithuanian, Latvian, Hungarian), plus same-script and
   name-order non-matches. The people are public office-holders or listed persons; the spellings
   are the ones their governments, passports or the press use.

Standard library only, deterministic: the same XML always gives the same file.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
UN_XML = HERE.parent / "lists" / "un" / "UN_consolidated.xml"
OUTPUT = HERE / "cross_script.csv"

# (name1, name2, is_match, script, note)
HAND: list[tuple[str, str, bool, str, str]] = [
    # Arabic: consonant skeletons and the usual romanisations.
    ("محمد بن سلمان", "Mohammed bin Salman", True, "arabic", ""),
    ("محمد بن سلمان آل سعود", "Muhammad bin Salman Al Saud", True, "arabic", ""),
    ("بشار الأسد", "Bashar al-Assad", True, "arabic", "al-"),
    ("عبد الفتاح السيسي", "Abdel Fattah el-Sisi", True, "arabic", "abd al-, el-"),
    ("معمر القذافي", "Muammar Gaddafi", True, "arabic", "qaf as g"),
    ("معمر القذافي", "Moammar Qadhafi", True, "arabic", ""),
    ("صدام حسين", "Saddam Hussein", True, "arabic", ""),
    ("أسامة بن لادن", "Usama bin Laden", True, "arabic", ""),
    ("أسامة بن لادن", "Osama bin Laden", True, "arabic", ""),
    ("أيمن الظواهري", "Ayman al-Zawahiri", True, "arabic", ""),
    ("حسن نصر الله", "Hassan Nasrallah", True, "arabic", "two words written as one"),
    ("إسماعيل هنية", "Ismail Haniyeh", True, "arabic", ""),
    ("يحيى السنوار", "Yahya Sinwar", True, "arabic", ""),
    ("أبو بكر البغدادي", "Abu Bakr al-Baghdadi", True, "arabic", ""),
    ("خالد مشعل", "Khaled Mashal", True, "arabic", ""),
    ("عمر البشير", "Omar al-Bashir", True, "arabic", ""),
    ("محمود عباس", "Mahmoud Abbas", True, "arabic", ""),
    ("رامي مخلوف", "Rami Makhlouf", True, "arabic", ""),
    ("عبد الرحمن الراشد", "Abdulrahman al-Rashid", True, "arabic", "abd al- written as one"),
    ("عبد الله بن زايد", "Abdullah bin Zayed", True, "arabic", ""),
    ("خليفة حفتر", "Khalifa Haftar", True, "arabic", ""),
    # Persian.
    ("محمود احمدی‌نژاد", "Mahmoud Ahmadinejad", True, "persian", "zero-width non-joiner"),
    ("علی خامنه‌ای", "Ali Khamenei", True, "persian", ""),
    ("حسن روحانی", "Hassan Rouhani", True, "persian", ""),
    ("ابراهیم رئیسی", "Ebrahim Raisi", True, "persian", ""),
    ("قاسم سلیمانی", "Qasem Soleimani", True, "persian", ""),
    ("محمد جواد ظریف", "Mohammad Javad Zarif", True, "persian", ""),
    ("اکبر هاشمی رفسنجانی", "Akbar Hashemi Rafsanjani", True, "persian", ""),
    # Urdu.
    ("عمران خان", "Imran Khan", True, "urdu", ""),
    ("نواز شریف", "Nawaz Sharif", True, "urdu", ""),
    ("حافظ محمد سعید", "Hafiz Muhammad Saeed", True, "urdu", ""),
    ("مسعود اظہر", "Masood Azhar", True, "urdu", ""),
    # Hebrew.
    ("בנימין נתניהו", "Benjamin Netanyahu", True, "hebrew", ""),
    ("בנימין נתניהו", "Binyamin Netanyahu", True, "hebrew", ""),
    ("יצחק רבין", "Yitzhak Rabin", True, "hebrew", ""),
    ("אריאל שרון", "Ariel Sharon", True, "hebrew", ""),
    ("שמעון פרס", "Shimon Peres", True, "hebrew", ""),
    ("אהוד ברק", "Ehud Barak", True, "hebrew", ""),
    ("גולדה מאיר", "Golda Meir", True, "hebrew", ""),
    ("נפתלי בנט", "Naftali Bennett", True, "hebrew", ""),
    ("יאיר לפיד", "Yair Lapid", True, "hebrew", ""),
    # Greek (ELOT 743 / UN), and given names across languages.
    ("Αλέξης Τσίπρας", "Alexis Tsipras", True, "greek", ""),
    ("Αλέξανδρος Τσίπρας", "Alexander Tsipras", True, "greek", "given name across languages"),
    ("Κυριάκος Μητσοτάκης", "Kyriakos Mitsotakis", True, "greek", ""),
    ("Γιώργος Παπανδρέου", "George Papandreou", True, "greek", "given name across languages"),
    ("Ανδρέας Παπανδρέου", "Andreas Papandreou", True, "greek", ""),
    ("Κωνσταντίνος Καραμανλής", "Konstantinos Karamanlis", True, "greek", ""),
    ("Κωνσταντίνος Καραμανλής", "Constantine Karamanlis", True, "greek", "given name"),
    ("Γιάνης Βαρουφάκης", "Yanis Varoufakis", True, "greek", ""),
    ("Δημήτρης Χριστόφιας", "Dimitris Christofias", True, "greek", ""),
    ("Νίκος Αναστασιάδης", "Nicos Anastasiades", True, "greek", ""),
    # Armenian.
    ("Նիկոլ Փաշինյան", "Nikol Pashinyan", True, "armenian", ""),
    ("Սերժ Սարգսյան", "Serzh Sargsyan", True, "armenian", ""),
    ("Սերժ Սարգսյան", "Serzh Sarkisian", True, "armenian", "older spelling"),
    ("Ռոբերտ Քոչարյան", "Robert Kocharyan", True, "armenian", ""),
    ("Լևոն Տեր-Պետրոսյան", "Levon Ter-Petrosyan", True, "armenian", ""),
    ("Սամվել Կարապետյան", "Samvel Karapetyan", True, "armenian", ""),
    # Georgian.
    ("მიხეილ სააკაშვილი", "Mikheil Saakashvili", True, "georgian", ""),
    ("ბიძინა ივანიშვილი", "Bidzina Ivanishvili", True, "georgian", ""),
    ("ედუარდ შევარდნაძე", "Eduard Shevardnadze", True, "georgian", ""),
    ("ირაკლი ღარიბაშვილი", "Irakli Garibashvili", True, "georgian", ""),
    ("სალომე ზურაბიშვილი", "Salome Zurabishvili", True, "georgian", ""),
    # Korean: Revised Romanization, McCune-Reischauer and the surnames people actually write.
    ("김정은", "Kim Jong Un", True, "korean", "Gim -> Kim"),
    ("김정일", "Kim Jong Il", True, "korean", ""),
    ("김일성", "Kim Il Sung", True, "korean", ""),
    ("김여정", "Kim Yo Jong", True, "korean", ""),
    ("박근혜", "Park Geun-hye", True, "korean", "Bak -> Park"),
    ("박정희", "Park Chung-hee", True, "korean", ""),
    ("이명박", "Lee Myung-bak", True, "korean", "I -> Lee"),
    ("이승만", "Syngman Rhee", True, "korean", "I -> Rhee, given name first"),
    ("윤석열", "Yoon Suk-yeol", True, "korean", ""),
    ("문재인", "Moon Jae-in", True, "korean", ""),
    ("최룡해", "Choe Ryong Hae", True, "korean", "McCune-Reischauer"),
    ("리설주", "Ri Sol Ju", True, "korean", "Ri (North Korea)"),
    ("이재명", "Lee Jae-myung", True, "korean", ""),
    ("노무현", "Roh Moo-hyun", True, "korean", "No -> Roh"),
    ("정의용", "Chung Eui-yong", True, "korean", "Jeong -> Chung"),
    # Japanese: kanji read with Japanese name readings (Hepburn, long vowels dropped).
    ("安倍晋三", "Shinzo Abe", True, "japanese", ""),
    ("高市早苗", "Sanae Takaichi", True, "japanese", ""),
    ("岸田文雄", "Fumio Kishida", True, "japanese", ""),
    ("菅義偉", "Yoshihide Suga", True, "japanese", ""),
    ("小泉純一郎", "Junichiro Koizumi", True, "japanese", ""),
    ("石破茂", "Shigeru Ishiba", True, "japanese", ""),
    ("麻原彰晃", "Shoko Asahara", True, "japanese", ""),
    ("重信房子", "Fusako Shigenobu", True, "japanese", ""),
    # Chinese: pinyin and Wade-Giles.
    ("习近平", "Xi Jinping", True, "chinese", ""),
    ("毛泽东", "Mao Zedong", True, "chinese", ""),
    ("毛澤東", "Mao Tse-tung", True, "chinese", "Wade-Giles"),
    ("邓小平", "Deng Xiaoping", True, "chinese", ""),
    ("鄧小平", "Teng Hsiao-ping", True, "chinese", "Wade-Giles"),
    ("周恩来", "Zhou Enlai", True, "chinese", ""),
    ("周恩來", "Chou En-lai", True, "chinese", "Wade-Giles"),
    ("李克强", "Li Keqiang", True, "chinese", ""),
    ("温家宝", "Wen Jiabao", True, "chinese", ""),
    ("胡锦涛", "Hu Jintao", True, "chinese", ""),
    ("薄熙来", "Bo Xilai", True, "chinese", ""),
    ("王毅", "Wang Yi", True, "chinese", ""),
    # Titles in other languages (a surname with a title and nothing else).
    ("Präsident Putin", "Vladimir Vladimirovich Putin", True, "title", "German"),
    ("Presidente Putin", "Vladimir Vladimirovich Putin", True, "title", "Spanish"),
    ("Президент Путин", "Vladimir Vladimirovich Putin", True, "title", "Russian"),
    ("Président Loukachenko", "Alexander Lukashenko", True, "title", "French"),
    ("Президент Лукашенко", "Alexander Lukashenko", True, "title", "Russian"),
    ("Министр Лавров", "Sergey Viktorovich Lavrov", True, "title", "Russian"),
    ("Ministro Lavrov", "Sergey Viktorovich Lavrov", True, "title", "Spanish"),
    ("General Soleimani", "Qasem Soleimani", True, "title", ""),
    ("الشيخ حسن نصر الله", "Hassan Nasrallah", True, "title", "Arabic sheikh"),
    ("الرئيس بشار الأسد", "Bashar al-Assad", True, "title", "Arabic president"),
    ("Mullah Mohammed Omar", "Mohammed Omar", True, "title", ""),
    # Inflected surnames.
    ("Vladimiras Putinas", "Vladimir Putin", True, "inflection", "Lithuanian"),
    ("Vlagyimir Putyin", "Vladimir Putin", True, "inflection", "Hungarian"),
    ("Vladimirs Putins", "Vladimir Putin", True, "inflection", "Latvian"),
    ("Sergejus Lavrovas", "Sergey Lavrov", True, "inflection", "Lithuanian"),
    ("Szergej Lavrov", "Sergey Lavrov", True, "inflection", "Hungarian"),
    ("Ramzanas Kadyrovas", "Ramzan Kadyrov", True, "inflection", "Lithuanian"),
    ("Dmitrijus Medvedevas", "Dmitry Medvedev", True, "inflection", "Lithuanian"),
    ("Aleksandras Lukašenka", "Alexander Lukashenko", True, "inflection", "Lithuanian"),
    # Non-matches: same script but a different character, a different person, Arabic name order.
    ("高石早苗", "高市早苗", False, "japanese", "one kanji differs"),
    ("김정은", "김정일", False, "korean", "one syllable differs"),
    ("김정은", "Kim Jong Il", False, "korean", ""),
    ("محمد بن سلمان", "سلمان بن محمد", False, "arabic", "son and father swapped"),
    ("Muhammad bin Salman", "Salman bin Muhammad", False, "arabic", "son and father swapped"),
    ("בנימין נתניהו", "Benjamin Gantz", False, "hebrew", ""),
    ("习近平", "Xi Jinhua", False, "chinese", ""),
    ("Αλέξης Τσίπρας", "Alexis Papadopoulos", False, "greek", ""),
    ("Президент Путин", "Vladimir Pugin", False, "title", ""),
]


def _text(element: ET.Element, tag: str) -> str:
    return (element.findtext(tag) or "").strip()


def un_pairs() -> list[tuple[str, str, bool, str, str]]:
    """Original-script name vs the same entry's Latin name, and vs another entry's."""
    root = ET.parse(UN_XML).getroot()
    people: list[tuple[str, str, str]] = []  # (reference, original script, Latin primary)
    latin_all: list[tuple[str, str]] = []
    for tag in ("INDIVIDUAL", "ENTITY"):
        for element in root.iter(tag):
            parts = [_text(element, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
            parts.append(_text(element, "FOURTH_NAME"))
            latin = " ".join(p for p in parts if p)
            reference = _text(element, "REFERENCE_NUMBER")
            if tag == "INDIVIDUAL":
                latin_all.append((reference, latin))
            original = _text(element, "NAME_ORIGINAL_SCRIPT")
            if original and latin and tag == "INDIVIDUAL":
                people.append((reference, original, latin))
    rows: list[tuple[str, str, bool, str, str]] = []
    for reference, original, latin in people:
        script = _script(original)
        rows.append((original, latin, True, script, reference))
        first, last = latin.split()[0].casefold(), latin.split()[-1].casefold()
        for other_reference, other in latin_all:
            words = other.casefold().split()
            if other_reference != reference and words[0] == first and words[-1] != last:
                rows.append((original, other, False, script, f"{reference} vs {other_reference}"))
                break
    return rows


def _script(text: str) -> str:
    if any("\u0600" <= char <= "\u06ff" for char in text):
        return "arabic"
    if any("\u0400" <= char <= "\u04ff" for char in text):
        return "cyrillic"
    return "latin"


def main() -> None:
    """Write the file and say how many pairs of each kind it holds."""
    rows = [(*row[:3], "un", *row[3:]) for row in un_pairs()]
    rows += [(*row[:3], "hand", *row[3:]) for row in HAND]
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name1", "name2", "is_match", "set", "script", "note"])
        for name1, name2, match, source, script, note in rows:
            writer.writerow([name1, name2, "true" if match else "false", source, script, note])
    matches = sum(1 for row in rows if row[2])
    print(f"{OUTPUT.name}: {len(rows)} pairs, {matches} matches, {len(rows) - matches} non-matches")


if __name__ == "__main__":
    main()
