"""Per-script name handling: which script a name is in, and the keys that compare it across scripts.

Lists and passports romanise the same name in several ways, and a client may give it in its own
script. Each function here turns one script's names into tokens, or a Latin token into the key it
shares with that script:

- Arabic, Persian, Urdu and Hebrew are written without most vowels, so a name in those scripts
  and a Latin name are compared as consonant skeletons over classes of letters that the usual
  romanisations write alike (Muhammad/Mohamed/محمد: mhmd; q/k/g for qaf; z/d/dh for dhal and
  zah; sh/ch; kh/h; al-/el-; bin/ibn);
- Hangul is compared syllable by syllable through a key that makes the Revised Romanization,
  McCune-Reischauer and the spellings people choose meet (jeong/jung/chong/chung), with the
  surnames' customary spellings from a table (김 Kim/Gim, 이 Lee/Yi/Rhee/Ri, 박 Park/Bak);
- Han characters are read in pinyin (anyascii) and also written in Wade-Giles (Mao Tse-tung,
  Teng Hsiao-ping), converted syllable by syllable with the standard correspondences.

Pure functions over strings; the tables are small and documented here, so a change to any of
them changes the normaliser's version.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

LATIN = "latin"
ABJAD = "abjad"
"""Arabic-script (Arabic, Persian, Urdu) and Hebrew names: consonant skeletons."""
HANGUL = "hangul"
HAN = "han"
KANA = "kana"
ALPHABET = "alphabet"
"""Greek, Cyrillic, Armenian, Georgian: romanised (several ways), not compared natively."""
NATIVE_FIRST = frozenset([ABJAD, HANGUL, HAN, KANA])
"""Scripts whose names are compared in the script itself when both sides are written in it."""

# --- Which script -----------------------------------------------------------------------------


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


def _is_hebrew(char: str) -> bool:
    return 0x0590 <= ord(char) <= 0x05FF or 0xFB1D <= ord(char) <= 0xFB4F


def _is_hangul(char: str) -> bool:
    return 0xAC00 <= ord(char) <= 0xD7AF


def _is_kana(char: str) -> bool:
    return 0x3040 <= ord(char) <= 0x30FF


def _is_han(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


def native_script(text: str) -> str:
    """The script a name is compared in natively (ABJAD, HANGUL, HAN, KANA), or LATIN for the rest.

    Kana anywhere makes a name Japanese (KANA) even when it also has kanji.
    """
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return LATIN
    if any(_is_kana(c) for c in letters):
        return KANA
    counts = {
        ABJAD: sum(1 for c in letters if _is_arabic(c) or _is_hebrew(c)),
        HANGUL: sum(1 for c in letters if _is_hangul(c)),
        HAN: sum(1 for c in letters if _is_han(c)),
    }
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count * 2 > len(letters) else LATIN


def name_origin(text: str) -> str:
    """The script family a name comes from: one of NATIVE_FIRST, ALPHABET or LATIN."""
    script = native_script(text)
    if script != LATIN or text.isascii():
        return script
    if any(0x0370 <= ord(c) <= 0x03FF or 0x0400 <= ord(c) <= 0x052F for c in text):
        return ALPHABET
    if any(0x0530 <= ord(c) <= 0x058F or 0x10A0 <= ord(c) <= 0x10FF for c in text):
        return ALPHABET
    return LATIN


def native_tokens(text: str, script: str, titles: frozenset[str]) -> tuple[list[str], list[str]]:
    """The name's own-script tokens (words for abjad scripts, one syllable each for CJK) and the
    titles taken out of them (only while something else is left)."""
    if script == ABJAD:
        return abjad_words(text, titles)
    tokens: list[str] = []
    words = [word for word in re.split(r"[^\w]+", text) if word]
    if script == HANGUL:
        # Per word, in order (은정 is not 정은); a surname written onto the given name
        # (김정은) is split off.
        for word in words:
            long_enough = len(word) >= 3 or (len(word) == 2 and len(words) == 1)
            if long_enough and word[0] in KOREAN_SURNAMES:
                tokens.extend((word[0], word[1:]))
                continue
            tokens.append(word)
        return tokens, []
    for word in words:
        if script in (HAN, KANA):
            tokens.extend(char for char in word if char.isalpha())
        elif word:
            tokens.append(word.casefold())
    return tokens, []


# --- Abjad scripts: consonant skeletons -------------------------------------------------------

# Letter -> skeleton class. Vowel letters (alif, waw, ya), hamza and ayn are left out: Latin
# spellings write them as vowels, apostrophes or nothing. The classes merge what romanisations
# merge: q/k/g (qaf is "g" in Gulf and Libyan names), d/z/dh, s/th (Persian tha), t/th, h/kh.
_ARABIC_CLASSES = {
    "ب": "b",
    "پ": "f",
    "ت": "t",
    "ث": "t",
    "ٹ": "t",
    "ج": "j",
    "چ": "c",
    "ح": "h",
    "خ": "h",
    "د": "d",
    "ذ": "d",
    "ڈ": "d",
    "ر": "r",
    "ڑ": "r",
    "ز": "d",
    "ژ": "j",
    "س": "s",
    "ش": "c",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "غ": "k",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ک": "k",
    "گ": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ں": "n",
    "ه": "h",
    "ہ": "h",
    "ھ": "h",
    "ة": "",
    "ی": "",
    "ے": "",
}
_HEBREW_CLASSES = {
    "ב": "b",
    "ג": "k",
    "ד": "d",
    "ה": "h",
    "ז": "d",
    "ח": "h",
    "ט": "t",
    "כ": "k",
    "ך": "k",
    "ל": "l",
    "מ": "m",
    "ם": "m",
    "נ": "n",
    "ן": "n",
    "ס": "s",
    "פ": "f",
    "ף": "f",
    "צ": "s",
    "ץ": "s",
    "ק": "k",
    "ר": "r",
    "ש": "c",
    "ת": "t",
}
_ABJAD_CLASSES = {**_ARABIC_CLASSES, **_HEBREW_CLASSES}
ABJAD_PARTICLES = frozenset(["بن", "ابن", "بنت", "ابو", "أبو", "آل", "ولد", "בן", "בת"])
"""Arabic-script and Hebrew words that join name parts (al-, bin, ibn, bint, abu, Al, ould, ben)."""
_ARABIC_ARTICLE = "ال"
# A word's first letter when it is a vowel carrier, ayn or a semivowel: kept as "a", "w" or "y"
# (Ahmad is not Hamid, Walid is not Yalda), as Latin spellings keep their first letter.
_ABJAD_HEADS = {
    **dict.fromkeys("اأإآعءئؤאע", "a"),
    **dict.fromkeys("وו", "w"),
    **dict.fromkeys("يیىי", "y"),
}
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u05b0-\u05c7\u200c\u200d\u200e\u200f]")


def abjad_words(text: str, titles: frozenset[str]) -> tuple[list[str], list[str]]:
    """Arabic-script or Hebrew words, and the titles taken out (only while something is left)."""
    # Vowel marks, tatweel and the Persian zero-width non-joiner are not letters of the name.
    text = _ARABIC_MARKS.sub("", text)
    words = [word for word in re.split(r"[^\w]+", text) if word]
    removed = [word for word in words if word in titles]
    if len(removed) < len(words):
        words = [word for word in words if word not in titles]
    else:
        removed = []
    # "Abd al-X" (servant of X) is one name: عبد الله is Abdullah, however it is spaced.
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "عبد":
            joined[-1] += word
        else:
            joined.append(word)
    return joined, removed


@lru_cache(maxsize=200_000)
def abjad_skeleton(word: str) -> str:
    """The consonant skeleton of one Arabic-script or Hebrew word ("محمد": "mhmd").

    The article al- is not part of it ("الراوي": "r"): Latin spellings write it as a word of its
    own, or as el-, ar-, ad- ..., or leave it out.
    """
    if word.startswith(_ARABIC_ARTICLE) and len(word) > 3 and word != "الله":
        word = word[2:]
    head = _ABJAD_HEADS.get(word[:1], "")
    rest = word[1:] if head else word
    return _skeleton_tidy(head + "".join(_ABJAD_CLASSES.get(char, "") for char in rest))


# Latin spellings to the same classes: digraphs first (to upper-case placeholders, so that the
# single-letter rules cannot rewrite them again), then single letters.
_LATIN_DIGRAPHS = re.compile(r"sch|tch|sh|ch|dzh|dj|kh|gh|th|dh|ph|ts|tz|ck")
_LATIN_DIGRAPH_CLASSES = {
    "sch": "C",
    "tch": "C",
    "sh": "C",
    "ch": "C",
    "dzh": "J",
    "dj": "J",
    "kh": "H",
    "gh": "K",
    "th": "T",
    "dh": "D",
    "ph": "F",
    "ts": "S",
    "tz": "S",
    "ck": "K",
}
_SOFT_C = re.compile(r"c(?=[eiy])")  # French spellings: Lounici, Boussif
_LATIN_LETTER_CLASSES = str.maketrans(
    {"q": "k", "g": "k", "c": "k", "z": "d", "p": "f", "x": "ks"}
    | {vowel: None for vowel in "aeiouyvw"}
)
LATIN_ARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "il",
        "ad",
        "ed",
        "ud",
        "ar",
        "er",
        "ur",
        "as",
        "es",
        "us",
        "ash",
        "esh",
        "at",
        "et",
        "ut",
        "az",
        "ez",
        "an",
        "en",
        "un",
        "at",
        "al",
    ]
)
"""The Arabic article as Latin spellings write it alone (al-, el-, ad-Din, ar-Rahman, ash-)."""


_ABD_AL = re.compile(r"^abd[aeiou]+[lrstdnz]$")
_LATIN_ARTICLE_PREFIX = re.compile(r"^(?:[ae]([tdrzsn])(?=\1)|[ae]l(?=[a-z]{4}))")


def _skeleton_tidy(skeleton: str) -> str:
    skeleton = re.sub(r"(.)\1+", r"\1", skeleton)
    # "abd al-X" written as one word (Abdulrahman, عبدالرحمن) is "abd" + "X".
    if skeleton.startswith("abdl") and len(skeleton) > 5:
        skeleton = "abd" + skeleton[4:]
    return skeleton


@lru_cache(maxsize=200_000)
def latin_skeleton(token: str) -> str:
    """The consonant skeleton of a Latin token in the abjad classes ("mohamed": "mhmd")."""
    if _ABD_AL.match(token):
        return "abd"  # "Abdul Manan": the article is in the next word's skeleton
    head, rest = _latin_head(token)
    skeleton = _LATIN_DIGRAPHS.sub(lambda m: _LATIN_DIGRAPH_CLASSES[m.group(0)], rest)
    skeleton = _SOFT_C.sub("s", skeleton)
    return _skeleton_tidy(head + skeleton.translate(_LATIN_LETTER_CLASSES).lower())


def _latin_head(token: str) -> tuple[str, str]:
    """The first letter's marker ("a" for a vowel, "w" for w/v, "y") and the rest."""
    first = token[:1]
    if first in ("a", "e", "i", "o", "u"):
        return "a", token[1:]
    if first in ("w", "v"):
        return "w", token[1:]
    if first == "y":
        return "y", token[1:]
    return "", token


@lru_cache(maxsize=200_000)
def latin_skeletons(token: str) -> tuple[str, ...]:
    """The skeleton, and the one that reads sh, th, kh ... as two letters (Is-haq: "Eshaq")."""
    plain = latin_skeleton(token)
    if _ABD_AL.match(token) or not (
        _LATIN_DIGRAPHS.search(token) or _LATIN_ARTICLE_PREFIX.match(token)
    ):
        return (plain,)
    head, rest = _latin_head(token)
    found = [plain, _skeleton_tidy(head + rest.translate(_LATIN_LETTER_CLASSES))]
    article = _LATIN_ARTICLE_PREFIX.match(token)
    if article:  # "Essabar", "Elkhairy": the article written onto the word
        found.append(latin_skeleton(token[article.end() :]))
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=200_000)
def abjad_skeletons(word: str) -> tuple[str, ...]:
    """The skeleton, and for tha the Persian and Urdu reading as s (وثيق: Wassiq)."""
    plain = abjad_skeleton(word)
    found = [plain]
    if "ث" in word:
        found.append(abjad_skeleton(word.replace("ث", "س")))
    if "ظ" in word or "ذ" in word:  # Kathim, Kadhim: zah and dhal written th
        found.append(abjad_skeleton(word.replace("ظ", "ت").replace("ذ", "ت")))
    return tuple(dict.fromkeys(found))


def skeletons_agree(native: str, roman: str) -> bool:
    """Equal skeletons, or equal but for a final h: ta marbuta and heh are -a, -ah or -eh."""
    if native == roman or (
        len(native) > 1 and len(roman) > 1 and native.rstrip("h") == roman.rstrip("h")
    ):
        return True
    # "Elsseid", "Alrawi": the article written into the Latin word.
    return len(roman) > 3 and roman.startswith("al") and native == roman[2:]


# Common given names whose skeletons coincide (Muhammad and Mahmud are both mhmd, Hasan and
# Husain both hsn): the word and the Latin spellings of each, so that one is not taken for the
# other. A Latin spelling of another name in this table does not match by skeleton.
ARABIC_GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "محمد": ("muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "mohd",
             "mehmet", "mahomed", "muhamad", "mohamud"),
    "محمود": ("mahmoud", "mahmud", "mahmood", "mehmood", "mahmut"),
    "حسن": ("hassan", "hasan", "hasson", "hassen", "hasen"),
    "حسين": ("hussein", "husain", "hussain", "hossein", "husayn", "hosein", "hosain", "husein",
             "hussien", "houssein", "hocine", "hussin", "husseyn"),
    "حسین": ("hussein", "husain", "hussain", "hossein", "husayn", "hosein", "hosain", "husein"),
    "حامد": ("hamid", "hamed", "haamid"),
    "حميد": ("hamid", "humaid", "hameed", "hamied"),
    "حمید": ("hamid", "hameed"),
}  # fmt: skip
KNOWN_GIVEN_SPELLINGS = frozenset(
    spelling for spellings in ARABIC_GIVEN_NAMES.values() for spelling in spellings
)


# --- Hangul -----------------------------------------------------------------------------------

# Customary Latin spellings of the common Korean surnames (passports and the press).
KOREAN_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"),
    "이": ("lee", "yi", "i", "rhee", "ri", "li", "ree"),
    "리": ("ri", "lee", "li", "rhee", "yi"),
    "박": ("park", "pak", "bak", "bark"),
    "최": ("choi", "choe", "chwe"),
    "정": ("jung", "jeong", "chung", "chong", "jong"),
    "강": ("kang", "gang"),
    "조": ("cho", "jo", "joe"),
    "윤": ("yoon", "yun"),
    "장": ("jang", "chang"),
    "임": ("lim", "im", "rim", "yim"),
    "림": ("rim", "lim"),
    "한": ("han",),
    "오": ("oh", "o"),
    "서": ("seo", "suh", "so"),
    "신": ("shin", "sin"),
    "권": ("kwon", "gwon"),
    "황": ("hwang",),
    "안": ("ahn", "an"),
    "송": ("song",),
    "류": ("ryu", "yoo", "yu", "rhyu", "lyu"),
    "유": ("yoo", "yu", "ryu"),
    "홍": ("hong",),
    "전": ("jeon", "chun", "jun", "chon"),
    "고": ("ko", "go", "koh"),
    "문": ("moon", "mun"),
    "손": ("son", "sohn"),
    "양": ("yang", "ryang"),
    "배": ("bae", "pae"),
    "백": ("baek", "paek", "paik", "back"),
    "허": ("heo", "huh", "hur"),
    "노": ("roh", "noh", "no"),
    "로": ("ro", "roh"),
    "남": ("nam",),
    "심": ("shim", "sim"),
    "하": ("ha",),
    "곽": ("kwak", "gwak"),
    "성": ("sung", "seong"),
    "차": ("cha",),
    "주": ("joo", "ju", "chu"),
    "우": ("woo", "u"),
    "구": ("koo", "gu", "ku"),
    "민": ("min",),
    "진": ("jin", "chin"),
    "지": ("ji", "chi"),
    "엄": ("eom", "um", "uhm"),
    "채": ("chae",),
    "원": ("won",),
    "천": ("cheon", "chun"),
    "방": ("bang", "pang"),
    "공": ("kong", "gong"),
    "현": ("hyun", "hyeon"),
    "함": ("ham",),
    "변": ("byun", "byeon", "pyon"),
    "염": ("yeom", "yum"),
    "여": ("yeo", "yuh", "yo"),
    "추": ("choo", "chu"),
    "도": ("do", "doh"),
    "석": ("seok", "suk"),
    "선": ("sun", "seon"),
    "설": ("seol", "sul"),
    "마": ("ma",),
    "길": ("gil", "kil"),
    "연": ("yeon", "yun"),
    "위": ("wi", "wee"),
    "표": ("pyo",),
    "명": ("myung", "myeong"),
    "기": ("ki", "gi"),
    "반": ("ban", "pan"),
    "왕": ("wang",),
    "금": ("keum", "geum"),
    "옥": ("ok",),
    "육": ("yook", "yuk"),
    "인": ("in",),
    "탁": ("tak",),
    "국": ("kook", "guk"),
    "나": ("na", "ra"),
}

_KOREAN_KEY_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"eui|ui|ee", "i"),  # 의 ui/eui, 희 hui/hee
        (r"eo|eu|oo|o", "u"),  # 정 jeong/jung/jong, 근 geun/gun, 문 mun/moon
        (r"ch|tch|j", "j"),  # McCune-Reischauer ch / Revised Romanization j
        (r"sh", "s"),
        (r"[kg]", "g"),
        (r"[td]", "d"),
        (r"[pb]", "b"),
        (r"[rl]", "l"),
        (r"wu", "u"),
        (r"(?<=[^aeiouy])y(?=u)", ""),
        (r"(?<=[^aeiou])y(?=[^aeiou])", "u"),  # Syngman: 승 seung, y for the vowel
        (r"(.)\1+", r"\1"),
    )
)


@lru_cache(maxsize=100_000)
def korean_key(latin: str) -> str:
    """A key that the romanisations of one Korean syllable or name part share ("jeong": "jung")."""
    key = latin
    for pattern, replacement in _KOREAN_KEY_REWRITES:
        key = pattern.sub(replacement, key)
    return key


@lru_cache(maxsize=100_000)
def hangul_keys(syllables: str) -> frozenset[str]:
    """The Korean keys of one or more Hangul syllables; a lone surname syllable has several."""
    keys = {korean_key(anyascii(syllables).casefold())}
    for spelling in KOREAN_SURNAMES.get(syllables, ()):
        keys.add(korean_key(spelling))
    return frozenset(keys)


# --- Han: pinyin and Wade-Giles ---------------------------------------------------------------

_WG_WHOLE = {
    "zi": "tzu",
    "ci": "tzu",
    "si": "ssu",
    "zhi": "chih",
    "chi": "chih",
    "shi": "shih",
    "ri": "jih",
    "er": "erh",
    "ye": "yeh",
    "yan": "yen",
    "you": "yu",
    "yong": "yung",
    "he": "ho",
    "ge": "ko",
    "ke": "ko",
    "e": "o",
}
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch"),
    ("sh", "sh"),
    ("z", "ts"),
    ("c", "ts"),
    ("q", "ch"),
    ("x", "hs"),
    ("r", "j"),
    ("j", "ch"),
    ("b", "p"),
    ("d", "t"),
    ("g", "k"),
)
_WG_FINALS = (
    ("iong", "iung"),
    ("ong", "ung"),
    ("ian", "ien"),
    ("ie", "ieh"),
    ("uo", "o"),
)


@lru_cache(maxsize=10_000)
def wade_giles(pinyin: str) -> str:
    """One pinyin syllable (no tone marks) in Wade-Giles without apostrophes ("xiao": "hsiao")."""
    syllable = pinyin.casefold()
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial, final = "", syllable
    for source, target in _WG_INITIALS:
        if syllable.startswith(source):
            initial, final = target, syllable[len(source) :]
            break
    if initial in ("k", "") and final == "uo":
        return initial + "uo"  # guo: kuo
    for source, target in _WG_FINALS:
        if final.endswith(source):
            final = final[: -len(source)] + target
            break
    if final == "e" and initial in ("k", "h"):
        final = "o"
    if final == "i" and initial in ("ts", "s"):
        final = "u"
    return initial + final
