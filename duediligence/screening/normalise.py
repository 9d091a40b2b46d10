"""Name normalisation: scripts to Latin, tokens, transliteration-equivalence keys, legal forms.

Deterministic and versioned: `ALGORITHM_VERSION` changes whenever any table or rule here (or in the
scorer) changes, and every result records it. Pure functions over strings; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from duediligence.screening.japanese import japanese_readings
from duediligence.screening.scripts import (
    ABJAD,
    ALPHABET,
    HAN,
    LATIN,
    NATIVE_FIRST,
    name_origin,
    native_tokens,
    wade_giles,
)

ALGORITHM_VERSION = "dd-screening-1.2.0"
"""1.2.0: an organisation's name with a country that the other lacks names its national
subsidiary (Banco Santander / Banco Santander Chile; not Sberbank / Sberbank of Russia); romanised Chinese and Korean syllables match only exactly or by transliteration key (a
one-letter difference is another syllable: cheng/chen, ming/myong), and a Hangul word meets a Latin
part only if that part has as many syllables; kanji names also read with Japanese name readings.
1.1.0: names in Arabic script, Hebrew, Hangul and Han compared in their own script first and
across scripts by skeletons and keys; Wade-Giles; titles in more languages; inflected surnames;
given-name and nickname tables. Results recorded under 1.0.0 stay reproducible with that release."""

# --- Cyrillic romanisations -------------------------------------------------------------------
# Several systems on purpose: the same person appears as Nazarbayeva (BGN/PCGN, the UK's) and
# Nazarbaeva (ICAO passports); the query is compared in each.

_CYRILLIC_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ь": "",
    "ы": "y",
    "э": "e",
    # Ukrainian, Belarusian, Kazakh, Mongolian letters.
    "і": "i",
    "ї": "yi",
    "ґ": "g",
    "ў": "w",
    "ә": "a",
    "ғ": "gh",
    "қ": "q",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "ђ": "dj",
    "џ": "dzh",
}
_BGN = {**_CYRILLIC_COMMON, "е": "ye", "ё": "yo", "й": "y", "ю": "yu", "я": "ya", "є": "ye"}
_ICAO = {
    **_CYRILLIC_COMMON,
    "е": "e",
    "ё": "e",
    "й": "i",
    "ю": "iu",
    "я": "ia",
    "є": "ie",
    "ъ": "ie",
    "қ": "k",
    "ғ": "g",
    "ң": "n",
    "ї": "i",
}
_CYRILLIC_VOWELS = set("аеёиоуыэюяіїєәөұүъь")


def _romanise_cyrillic(text: str, table: dict[str, str], soft_e: bool) -> str:
    """Romanise Cyrillic with one table; BGN writes е as "ye" only at a start or after a vowel."""
    out: list[str] = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower in table:
            value = table[lower]
            if (
                soft_e
                and lower == "е"
                and previous
                and previous.isalpha()
                and (previous not in _CYRILLIC_VOWELS)
            ):
                value = "e"
            out.append(value)
        else:
            out.append(anyascii(char) if ord(char) > 127 else char)
        previous = lower
    return "".join(out)


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u052f" for char in text)


def _is_syllabic(char: str) -> bool:
    """Han, kana and Hangul: one character is one syllable, so each becomes its own token."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF
        or 0x3400 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
    )


def _to_latin(text: str) -> str:
    """Any script to Latin letters via anyascii; syllabic scripts are spaced per syllable."""
    if text.isascii():
        return text
    parts: list[str] = []
    for char in text:
        if _is_syllabic(char):
            parts.append(f" {anyascii(char)} ")
        else:
            parts.append(char)
    return anyascii("".join(parts))


def romanisations(text: str) -> list[str]:
    """The Latin renderings of a name: one for Latin text, several for Cyrillic."""
    if _has_cyrillic(text):
        forms = [
            _romanise_cyrillic(text, _BGN, soft_e=True),
            _romanise_cyrillic(text, _ICAO, soft_e=False),
            anyascii(text).casefold(),
        ]
        return list(dict.fromkeys(forms))
    return [_to_latin(text)]


# --- Tokens -------------------------------------------------------------------------------------

_APOSTROPHES = re.compile("['’‘`ʻʼ´ʿʾ]")
_DOTTED_INITIALS = re.compile(r"(?<![a-z0-9])((?:[a-z]\.){1,}[a-z])\.?(?![a-z0-9])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT_LOOKALIKE = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g"}
)

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mister",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "haji",
        "hajji",
        "hadji",
        "alhaji",
        "mullah",
        "mulla",
        "maulvi",
        "mawlawi",
        "maulana",
        "mawlana",
        "qari",
        "hafiz",
        "imam",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "maj",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "brigadier",
        "admiral",
        "president",
        "prasident",
        "praesident",
        "monsieur",
        "madame",
        "mme",
        "mlle",
        "senor",
        "senora",
        "herr",
        "frau",
        "hon",
        "honourable",
        "honorable",
        "excellency",
        "he",
        "rev",
        "reverend",
        "father",
        "fr",
        # Titles in the main languages of the lists (Cyrillic ones as romanised here).
        "presidente",
        "prezident",
        "prezydent",
        "praesidentin",
        "prasidentin",
        "presidenta",
        "minister",
        "ministre",
        "ministro",
        "ministr",
        "premier",
        "premyer",
        "senator",
        "senador",
        "generale",
        "generał",
        "polkovnik",
        "kolonel",
        "coronel",
        "marshal",
        "marechal",
        "mariscal",
        "gospodin",
        "gospozha",
        "signor",
        "signora",
        "ayatollah",
        "ayatullah",
        "hojatoleslam",
        "mufti",
        "sheikha",
        "shaykha",
    ]
)
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "ur",
        "ud",
        "ad",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "bin",
        "ibn",
        "ben",
        "bint",
        "binti",
        "bent",
        "abu",
        "abou",
        "ould",
        "wuld",
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "das",
        "dos",
        "do",
        "di",
        "del",
        "della",
        "la",
        "le",
        "du",
        "mac",
        "mc",
        "na",
        "y",
        "e",
        "and",
        "of",
        "the",
    ]
)
ORDINALS = {
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
    "6th": "sixth",
    "7th": "seventh",
    "8th": "eighth",
    "9th": "ninth",
    "10th": "tenth",
}
# Abbreviations that are part of an entity's name rather than its legal form.
ENTITY_ABBREVIATIONS = {
    "corp": "corporation",
    "intl": "international",
    "int": "international",
    "co": "company",
    "cos": "companies",
    "bros": "brothers",
    "grp": "group",
    "mfg": "manufacturing",
    "natl": "national",
    "assn": "association",
    "dept": "department",
    "govt": "government",
    "organisation": "organization",
    "labour": "labor",
    "centre": "center",
    "univ": "university",
    "&": "and",
}

# Legal forms by class: two names with different classes are different companies.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "llc": (
        "ltd",
        "limited",
        "llc",
        "l l c",
        "limited liability company",
        "ooo",
        "tov",
        "too",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "obshchestvo s ogranichennoi otvetstvennostiu",
        "tovarystvo z obmezhenoyu vidpovidalnistyu",
        "tovarishchestvo s ogranichennoy otvetstvennostyu",
        "gmbh",
        "gesellschaft mit beschrankter haftung",
        "sarl",
        "srl",
        "sp z o o",
        "spzoo",
        "sro",
        "s r o",
        "bv",
        "besloten vennootschap",
        "pty ltd",
        "pvt ltd",
        "private limited",
        "private limited company",
        "societatea cu raspundere limitata",
        "limitada",
        "ltda",
        "kft",
        "eood",
        "doo",
        "d o o",
        "ooo",
        "sdn bhd",
        "fze",
        "fzco",
        "fzc",
        "fzllc",
    ),
    "jsc": (
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "oao",
        "zao",
        "pao",
        "ao",
        "ag",
        "aktiengesellschaft",
        "joint stock company",
        "open joint stock company",
        "closed joint stock company",
        "public joint stock company",
        "aktsionernoye obshchestvo",
        "aktsionernoe obshchestvo",
        "publichnoye aktsionernoye obshchestvo",
        "otkrytoye aktsionernoye obshchestvo",
        "zakrytoye aktsionernoye obshchestvo",
        "sa",
        "s a",
        "spa",
        "s p a",
        "nv",
        "n v",
        "ab",
        "asa",
        "as",
        "a s",
        "sae",
        "saog",
        "saoc",
        "kk",
        "kabushiki kaisha",
        "plc",
        "public limited company",
        "p l c",
        "psc",
        "qsc",
        "bsc",
        "sal",
    ),
    "inc": ("inc", "incorporated"),
    "lp": ("lp", "l p", "limited partnership"),
    "llp": ("llp", "limited liability partnership"),
    "cic": ("cic", "community interest company"),
    "ano": ("ano", "avtonomnaya nekommercheskaya organizatsiya"),
    "fgup": ("fgup", "gup", "mup", "federal state unitary enterprise", "state unitary enterprise"),
    "cooperative": ("cooperative", "co operative", "coop"),
}

# Titles written in Arabic script or Hebrew (the article split off: "الشيخ" is "ال" "شيخ"), as
# whole words; a name that is only a title keeps it.
NATIVE_TITLES = frozenset(
    [
        "شيخ",
        "الشيخ",
        "حاج",
        "الحاج",
        "رئيس",
        "الرئيس",
        "ملا",
        "الملا",
        "ملّا",
        "دكتور",
        "الدكتور",
        "مولوي",
        "مولانا",
        "امام",
        "الامام",
        "إمام",
        "الإمام",
        "آقای",
        "جناب",
        "حجتالاسلام",
        "آیتالله",
        "اللواء",
        "العقيد",
        "الفريق",
        "العميد",
        "الجنرال",
        "الوزير",
        "وزير",
        "الأمير",
        "مر",
        "הרב",
        "מר",
        "ד״ר",
    ]
)

# --- Transliteration-equivalence keys ----------------------------------------------------------
# Ordered rewrites; each makes spellings that English, French, German, Turkic and Slavic
# romanisations use for one sound meet. Applied to single tokens.
_KEY_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^abd[aeiou]?[lr]?(?=[a-z]{3})", "abdul"),  # abdel/abdal/abdur + name
        (r"dzh|dj|dz(?=h)|zh", "j"),
        (r"tch", "ch"),
        (r"sch", "sh"),
        (r"ck|q|c(?=[aou]|$)", "k"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"w", "v"),
        (r"x", "ks"),
        (r"tz", "ts"),
        (r"ou|oo", "u"),
        (r"ee", "i"),
        (r"y", "i"),
        (r"j(?=[^aeiou]|$)", "i"),  # Sergej, Andrej
        (r"(?<=[aeiou])i(?=[aeiou])", ""),  # Nazarbayeva/Nazarbaeva, Tokayev/Tokaev
        (r"^ie", "e"),  # Yevgeny/Evgeny, Yelena/Elena
        (r"(.)\1+", r"\1"),  # double letters
    )
)
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=500_000)
def equivalence_key(token: str) -> str:
    """The transliteration-equivalence key of one normalised token (Toqaev and Tokayev: tokaev)."""
    if len(token) <= 1 or token.isdigit():
        return token
    key = token
    for pattern, replacement in _KEY_REWRITES:
        key = pattern.sub(replacement, key)
    return key or token


@lru_cache(maxsize=500_000)
def consonant_key(token: str) -> str:
    """First letter plus consonant skeleton of the key: Osama/Usama, Muhammad/Mohammed meet."""
    key = equivalence_key(token)
    if len(key) < 4:
        return ""
    head = "a" if key[0] in "aeiou" else key[0]
    skeleton = _VOWELS.sub("", key[1:])
    return head + re.sub(r"(.)\1+", r"\1", skeleton)


# --- Whole names --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameForm:
    """One normalised rendering of a name: tokens ready to align, and what was set aside."""

    text: str
    """The Latin form that was tokenised (for the explanation)."""
    tokens: tuple[str, ...]
    """Normalised name parts in order."""
    legal_forms: tuple[str, ...]
    """Legal-form classes found (entities only)."""
    removed: tuple[str, ...]
    """Honorifics removed."""
    compact: str
    """Every part joined without spaces, legal forms included ("siemensag")."""
    script: str = LATIN
    """The script the tokens are in: LATIN, or the name's own script (ABJAD, HANGUL, HAN, KANA)."""
    origin: str = LATIN
    """The script family the name was written in: one of NATIVE_FIRST, ALPHABET or LATIN."""
    variant: str = ""
    """WADE_GILES for the Wade-Giles rendering of a Han name (it counts a little less), JAPANESE
    for its Japanese reading."""
    entity: bool = False
    """The name of an organisation, company or vessel (not a person)."""


def _legal_form_phrases() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """Legal-form phrases by the equivalence key of their first word, longest first."""
    by_first: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for form_class, spellings in LEGAL_FORMS.items():
        for spelling in spellings:
            keys = tuple(equivalence_key(word) for word in spelling.split())
            by_first.setdefault(keys[0], []).append((keys, form_class, spelling))
    for phrases in by_first.values():
        # Longest first, so "open joint stock company" wins over a shorter phrase.
        phrases.sort(key=lambda item: -len(item[0]))
    return by_first


_LEGAL_PHRASES = _legal_form_phrases()
_LEGAL_STARTS = set(_LEGAL_PHRASES)


def _reorder_comma(text: str, entity: bool) -> str:
    """'NAZARBAYEVA, Dariga' reads 'Dariga NAZARBAYEVA'; an entity's ', Inc.' stays put."""
    if entity or text.count(",") != 1:
        return text
    surname, given = (part.strip() for part in text.split(","))
    if not surname or not given:
        return text
    given_tokens = _NON_ALNUM.sub(" ", given.casefold()).split()
    if given_tokens and equivalence_key(given_tokens[0]) in _LEGAL_STARTS:
        return text
    return f"{given} {surname}"


def _tokenise(latin: str) -> list[str]:
    text = _APOSTROPHES.sub("", latin.casefold())
    text = text.replace("&", " and ")
    text = _DOTTED_INITIALS.sub(lambda m: m.group(1).replace(".", ""), text)
    return _NON_ALNUM.sub(" ", text).split()


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal-form phrases anywhere in an entity name; return (name tokens, classes)."""
    kept: list[str] = []
    classes: list[str] = []
    keys = [equivalence_key(token) for token in tokens]
    index = 0
    while index < len(tokens):
        for phrase, form_class, spelling in _LEGAL_PHRASES.get(keys[index], ()):
            end = index + len(phrase)
            if end <= len(tokens) and tuple(keys[index:end]) == phrase:
                # A short form ("as", "sa", "ao") must be spelt exactly, at either end.
                short = len(phrase) == 1 and len(spelling) <= 3
                if short and (tokens[index] != spelling or 0 < index < len(tokens) - 1):
                    continue
                classes.append(form_class)
                index = end
                break
        else:
            kept.append(tokens[index])
            index += 1
    if not kept:  # a name that is only a legal form is still a name
        return tokens, []
    return kept, classes


_ALTERNATIVES = re.compile(r"(?<=\w\w\w)\s*[/;]\s*(?=\w\w\w)")


def name_forms(name: str, entity: bool) -> list[NameForm]:
    """Every normalised rendering of one name (several for Cyrillic input), deduplicated.

    "Al-Qa'ida/Islamic Army" is two names; each becomes its own form.
    """
    text = unicodedata.normalize("NFKC", name).strip()
    parts = _ALTERNATIVES.split(text)
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for part in parts if len(parts) > 1 else [text]:
        _add_forms(part, entity, forms, seen)
    return forms


def _add_forms(text: str, entity: bool, forms: list[NameForm], seen: set[tuple[str, ...]]) -> None:
    text = _reorder_comma(text, entity)
    origin = name_origin(text)
    if origin in NATIVE_FIRST:
        _add_native_form(text, origin, entity, forms, seen)
    if origin == ABJAD:
        return  # anyascii's consonant strings say less than the skeletons of the native form
    if origin == HAN and not entity:
        # A Japanese name in kanji, read as Japanese (安倍晋三: Abe Shinzo) when it is one.
        for reading in japanese_readings(text):
            _add_latin_form(reading, entity, origin, forms, seen, variant=JAPANESE)
    for latin in romanisations(text):
        _add_latin_form(latin, entity, origin, forms, seen)
        syllables = _to_latin(text).split() if origin == HAN else []
        if len(syllables) >= WADE_GILES_MIN_SYLLABLES:
            # Wade-Giles, syllable by syllable, from anyascii's pinyin (Mao Tse-tung).
            wade = " ".join(wade_giles(s) for s in syllables)
            _add_latin_form(wade, entity, origin, forms, seen, variant=WADE_GILES)


WADE_GILES = "wade-giles"
JAPANESE = "japanese"
"""A kanji name read with Japanese name readings (its parts are words, not Chinese syllables)."""
WADE_GILES_MIN_SYLLABLES = 3
"""Two syllables in a second romanisation meet too many other people's names (chu = chou)."""


def _add_native_form(
    text: str, origin: str, entity: bool, forms: list[NameForm], seen: set[tuple[str, ...]]
) -> None:
    tokens, removed = native_tokens(text, origin, frozenset() if entity else NATIVE_TITLES)
    key = tuple(tokens)
    if tokens and key not in seen:
        seen.add(key)
        forms.append(
            NameForm(
                text,
                key,
                (),
                tuple(removed),
                "".join(key),
                script=origin,
                origin=origin,
                entity=entity,
            )
        )


def _add_latin_form(
    latin: str,
    entity: bool,
    origin: str,
    forms: list[NameForm],
    seen: set[tuple[str, ...]],
    variant: str = "",
) -> None:
    raw = _tokenise(latin)
    removed: list[str] = []
    legal: list[str] = []
    tokens: list[str] = []
    if entity:
        raw = [ORDINALS.get(t, ENTITY_ABBREVIATIONS.get(t, t)) for t in raw]
        compact = "".join(raw)
        raw, legal = _strip_legal_forms(raw)
        if raw and raw[0] == "the" and len(raw) > 1:
            raw = raw[1:]
        tokens = raw
    else:
        compact = ""
        for token in raw:
            # Romanised Chinese or Korean syllables are never titles (He, Mr as 何, 메).
            latin_or_alphabet = origin in (LATIN, ALPHABET)
            if token in HONORIFICS and len(raw) - len(removed) > 1 and latin_or_alphabet:
                removed.append(token)
                continue
            if not token.isdigit() and not token.isalpha():
                token = token.translate(_DIGIT_LOOKALIKE)
            tokens.append(token)
    key = tuple(tokens)
    if not tokens or key in seen:
        return
    seen.add(key)
    forms.append(
        NameForm(
            latin,
            key,
            tuple(legal),
            tuple(removed),
            compact or "".join(key),
            origin=origin,
            variant=variant,
            entity=entity,
        )
    )


def normalise_country(value: str | None) -> str | None:
    """ISO alpha-2 code for a country value, or None."""
    from duediligence.screening.countries import country_code

    if not value:
        return None
    return country_code(value)


def normalise_gender(value: str | None) -> str | None:
    """'male' / 'female' for the usual spellings; anything else is unknown."""
    if not value:
        return None
    folded = value.strip().casefold()
    if folded in {"m", "male", "man", "masculine"}:
        return "male"
    if folded in {"f", "female", "woman", "feminine"}:
        return "female"
    return None
