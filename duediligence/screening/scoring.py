"""Scoring: token alignment between two normalised names, qualifiers, bands and explanations.

Logic-v2-inspired and explainable: each query part is paired with a list part (exact, same
transliteration-equivalence key, vowel-only difference, fuzzy within a per-token edit budget, an
initial, or two parts written as one); the name score is the weighted mean over pairs, where
parts left over count against it (a little when only one side has extras, heavily when both do,
because then the names disagree). Qualifiers subtract when both sides know a date of birth,
nationality or gender and they disagree. Pure functions; thresholds are named constants.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from duediligence.screening.model import (
    Band,
    Explanation,
    ListEntry,
    Qualifier,
    Query,
    TokenAlignment,
)
from duediligence.screening.names import given_name_groups, inflection_stem
from duediligence.screening.normalise import (
    ALGORITHM_VERSION,
    JAPANESE,
    PARTICLES,
    WADE_GILES,
    NameForm,
    consonant_key,
    equivalence_key,
    name_forms,
    normalise_country,
    normalise_gender,
)
from duediligence.screening.scripts import (
    ABJAD,
    ABJAD_PARTICLES,
    ARABIC_GIVEN_NAMES,
    HAN,
    HANGUL,
    KNOWN_GIVEN_SPELLINGS,
    LATIN,
    LATIN_ARTICLES,
    NATIVE_FIRST,
    abjad_skeletons,
    hangul_keys,
    korean_key,
    latin_skeletons,
    skeletons_agree,
)

REVIEW_THRESHOLD = 0.70
"""From here a hit is raised for a person to review."""
STRONG_THRESHOLD = 0.90
"""From here (and with no disagreeing qualifier) a hit is a strong match to escalate."""
REPORT_CUTOFF = 0.50
"""Hits below this are not reported at all."""

SCORE_EXACT = 1.0
SCORE_JOINED = 0.97  # "SiemensAG" ~ "Siemens AG": a lost separator is nearly free
SCORE_KEY = 0.95  # Toqaev ~ Tokayev
SCORE_INITIAL = 0.9  # "A." ~ "Akbar", at a low weight
SCORE_CONSONANT = 0.85  # Mohammed ~ Muhammad: vowels only
SCORE_ACRONYM = 0.9  # "PLA" ~ "People's Liberation Army"
SCORE_GIVEN_NAME = 0.9  # Alexandros ~ Alexander: one given name in two languages
SCORE_NICKNAME = 0.8  # Bibi ~ Benjamin, Jon ~ John
SCORE_INFLECTED = 0.9  # Putinas ~ Putin, Vlagyimir ~ Vladimir
SCORE_SKELETON = 0.9  # محمد ~ Mohamed: same consonant skeleton
SCORE_SKELETON_SHORT = 0.75  # علي ~ Ali: a skeleton of one or two letters says little
SCORE_SKELETON_NEAR = 0.8  # one skeleton letter differs (خامنه‌ای ~ Khamenei)
SCORE_KOREAN = 0.95  # 정 ~ Jung / Chung / Jeong
SKELETON_FACTOR = 0.95  # a name matched only by consonant skeletons is weaker evidence
WADE_GILES_FACTOR = 0.9  # a Han name's second romanisation is weaker evidence than pinyin
FUZZY_SLOPE = 0.75  # fuzzy score = 1 - FUZZY_SLOPE * edits / length
EDIT_BUDGET_BASE = 2.35  # edits allowed = log_base(len - 2): 0 up to 4 letters, 1 to 7, 2 to 14

WEIGHT_PARTICLE = 0.35
WEIGHT_INITIAL = 0.35
EXTRA_QUERY = 0.45  # a query part with no partner
EXTRA_CANDIDATE = 0.25  # a list part with no partner (a short client name vs a long list name)
EXTRA_CANDIDATE_TITLED = 0.1  # ... when the other name is a title and one rare surname
RARE = 0.9  # a rarity factor from here counts as a rare name part
CONFLICT = 2.0  # both sides left parts over: the names disagree on that part
LEGAL_FORM_MISMATCH = 0.35  # LLC vs non-commercial organisation, Ltd vs Inc ...
NATIONAL_SUBSIDIARY = 0.7  # an organisation's name with a country the other lacks

QUALIFIER_DOB_YEAR = -0.20
QUALIFIER_DOB_DAY = -0.15
QUALIFIER_DOB_SWAPPED = -0.07
QUALIFIER_NATIONALITY = -0.20
QUALIFIER_GENDER = -0.20

Rarity = Callable[[str], float]
"""Maps an equivalence key to a weight factor: 1.0 for rare name parts, lower for common ones."""

# Without a list to count from, these very common name parts still count for less.
_COMMON_PARTS = frozenset(
    equivalence_key(token)
    for token in [
        "mohammad",
        "muhammad",
        "mohammed",
        "mohamed",
        "ahmad",
        "ahmed",
        "ali",
        "abdul",
        "abdullah",
        "abdallah",
        "hassan",
        "hasan",
        "hussein",
        "husain",
        "ibrahim",
        "khan",
        "kim",
        "lee",
        "li",
        "wang",
        "zhang",
        "chen",
        "liu",
        "park",
        "choi",
        "john",
        "david",
        "james",
        "maria",
        "jose",
        "juan",
        "smith",
        "jones",
        "brown",
        "singh",
        "kumar",
        "nguyen",
    ]
)


def default_rarity(key: str) -> float:
    """Rarity without a frequency table: common name parts count 0.6, everything else 1.0."""
    return 0.6 if key in _COMMON_PARTS else 1.0


def rarity_from_frequency(frequency: int) -> float:
    """Weight factor from how many list names contain a part (1 -> 1.0, 1000 -> 0.5)."""
    return min(1.0, max(0.4, 1.25 - 0.25 * math.log10(1 + frequency)))


def _edit_budget(length: int) -> int:
    return int(math.log(max(length - 2, 1), EDIT_BUDGET_BASE) + 1e-9)


_EDIT_BUDGETS = tuple(_edit_budget(length) for length in range(256))


def edit_budget(length: int) -> int:
    """Whole edits a token of this length may differ by and still match fuzzily."""
    return _EDIT_BUDGETS[length] if length < 256 else _edit_budget(length)


@lru_cache(maxsize=300_000)
def token_similarity(query: str, candidate: str, across: bool = False) -> tuple[float, str]:
    """Similarity of two normalised tokens and the method that found it (0.0, "" if none)."""
    if query == candidate:
        return SCORE_EXACT, "exact"
    if len(query) == 1 or len(candidate) == 1:
        if query[0] == candidate[0] and not (query.isdigit() or candidate.isdigit()):
            return SCORE_INITIAL, "initial"
        return 0.0, ""
    if query.isdigit() or candidate.isdigit():
        return 0.0, ""  # numbers match exactly or not at all
    key_q, key_c = equivalence_key(query), equivalence_key(candidate)
    if key_q == key_c:
        return SCORE_KEY, "equivalence-key"
    best = 0.0
    # The longer part sets the budget, so "Merz" ~ "Mertz" may differ by one letter.
    budget = edit_budget(max(len(query), len(candidate)))
    if budget:
        edits = Levenshtein.distance(query, candidate, score_cutoff=budget)
        if edits <= budget:
            best = 1.0 - FUZZY_SLOPE * edits / max(len(query), len(candidate))
        key_budget = edit_budget(max(len(key_q), len(key_c)))
        key_edits = Levenshtein.distance(key_q, key_c, score_cutoff=key_budget)
        if key_budget and key_edits <= key_budget:
            best = max(best, SCORE_KEY - FUZZY_SLOPE * key_edits / max(len(key_q), len(key_c)))
        if best:
            return best, "fuzzy"
    cons_q = consonant_key(query)
    if (
        cons_q
        and len(key_q) >= 5
        and cons_q == consonant_key(candidate)
        and Levenshtein.distance(key_q, key_c) <= edit_budget(max(len(key_q), len(key_c))) + 1
    ):
        return SCORE_CONSONANT, "consonant-key"
    groups_q, groups_c = given_name_groups(key_q), given_name_groups(key_c)
    if groups_q and groups_c:
        # One given name in two languages (Alexandros, Alexander) only when one of the names
        # was written in another alphabet: between Latin names (Juan, Ivan) it alerts on too
        # many different people.
        if across and groups_q[0] & groups_c[0]:
            return SCORE_GIVEN_NAME, "given-name-table"
        if (groups_q[0] | groups_q[1]) & (groups_c[0] | groups_c[1]):
            return SCORE_NICKNAME, "nickname-table"
    stem_q, stem_c = inflection_stem(query), inflection_stem(candidate)
    if (
        (stem_q, stem_c) != (query, candidate)
        and stem_q[:2] == stem_c[:2]  # endings and digraphs change, the start stays
        and min(len(stem_q), len(stem_c)) >= 4
    ):
        score, method = token_similarity(stem_q, stem_c, across)
        if score >= SCORE_CONSONANT and method != "initial":
            return min(score, SCORE_INFLECTED), "inflection"
    return 0.0, ""


@lru_cache(maxsize=300_000)
def abjad_similarity(word: str, latin: str) -> tuple[float, str]:
    """An Arabic-script or Hebrew word against a Latin token, by their consonant skeletons."""
    spellings = ARABIC_GIVEN_NAMES.get(word, ())
    if latin in spellings:
        return SCORE_SKELETON, "name-table"
    if latin in KNOWN_GIVEN_SPELLINGS:
        return 0.0, ""  # the Latin spelling of another name with the same skeleton
    best = 0.0
    for native in abjad_skeletons(word):
        for roman in latin_skeletons(latin):
            if not native or not roman:
                continue
            if skeletons_agree(native, roman):
                best = max(best, SCORE_SKELETON if len(native) >= 3 else SCORE_SKELETON_SHORT)
            elif (
                min(len(native), len(roman)) >= 4
                and native[0] == roman[0]
                and Levenshtein.distance(native, roman, score_cutoff=1) <= 1
            ):
                best = max(best, SCORE_SKELETON_NEAR)
    return (best, "skeleton") if best else (0.0, "")


_VOWEL_GROUPS = re.compile("y?[aeiou]+|y")


@lru_cache(maxsize=300_000)
def hangul_similarity(syllables: str, latin: str) -> tuple[float, str]:
    """Hangul syllables against a Latin token, through the keys Korean romanisations share."""
    if len(syllables) > len(_VOWEL_GROUPS.findall(latin)):
        return 0.0, ""  # 주원 (ju-won) is two syllables; "Chun" has room for one
    key = korean_key(latin)
    keys = hangul_keys(syllables)
    if key in keys:
        return SCORE_KOREAN, "korean-romanisation"
    # No fuzzy matching on top: the key already merges what romanisations write differently,
    # and Korean given names differ from one another by as little as one letter of it.
    return 0.0, ""


Similarity = Callable[[str, str], tuple[float, str]]


def _swapped(similarity: Similarity) -> Similarity:
    return lambda query, candidate: similarity(candidate, query)


_ABJAD_FROM_QUERY: Similarity = abjad_similarity
_ABJAD_FROM_CANDIDATE = _swapped(abjad_similarity)
_HANGUL_FROM_QUERY: Similarity = hangul_similarity
_HANGUL_FROM_CANDIDATE = _swapped(hangul_similarity)


def _across_alphabets(query: str, candidate: str) -> tuple[float, str]:
    return token_similarity(query, candidate, True)


def _syllables(query: str, candidate: str) -> tuple[float, str]:
    """Romanised Chinese or Korean syllables: the same syllable, or the same transliteration key.

    One letter more or less is another syllable (cheng/chen, ming/myong, jiang/liang), and a single
    letter is a whole syllable (이: i), not an initial; fuzzy matching them alerted on strangers.
    """
    if query == candidate:
        return SCORE_EXACT, "exact"
    if (
        len(query) > 1
        and len(candidate) > 1
        and not (query.isdigit() or candidate.isdigit())
        and equivalence_key(query) == equivalence_key(candidate)
    ):
        return SCORE_KEY, "equivalence-key"
    return 0.0, ""


_ACROSS_ALPHABETS: Similarity = _across_alphabets
_SYLLABLES: Similarity = _syllables
SYLLABIC = frozenset([HAN, HANGUL])
"""Scripts whose romanised names are strings of syllables (compared by _syllables)."""


def _syllabic(form: NameForm) -> bool:
    return form.origin in SYLLABIC and form.variant != JAPANESE


_CROSS_SCRIPT: dict[tuple[str, str], Similarity] = {
    (ABJAD, LATIN): _ABJAD_FROM_QUERY,
    (LATIN, ABJAD): _ABJAD_FROM_CANDIDATE,
    (HANGUL, LATIN): _HANGUL_FROM_QUERY,
    (LATIN, HANGUL): _HANGUL_FROM_CANDIDATE,
}


def similarity_for(query: NameForm, candidate: NameForm) -> Similarity | None:
    """How two forms' tokens compare, or None when those two forms are not to be compared.

    Names written in the same non-Latin script (Arabic, Hebrew, Hangul, Han, kana) compare in
    that script and only there: their romanisations would make 高石 and 高市 one name.
    """
    if query.origin in NATIVE_FIRST and query.origin == candidate.origin:
        same = query.script == query.origin and candidate.script == candidate.origin
        return token_similarity if same else None
    scripts = (query.script, candidate.script)
    if scripts == (LATIN, LATIN):
        if query.origin == LATIN and candidate.origin == LATIN:
            return token_similarity
        if _syllabic(query) or _syllabic(candidate):
            return _SYLLABLES
        return _ACROSS_ALPHABETS
    return _CROSS_SCRIPT.get(scripts)


def _role_weight(token: str, script: str = LATIN) -> float:
    if script != LATIN:
        return WEIGHT_PARTICLE if token in ABJAD_PARTICLES else 1.0
    if len(token) == 1:
        return WEIGHT_INITIAL
    if token in PARTICLES:
        return WEIGHT_PARTICLE
    return 1.0


@dataclass(frozen=True, slots=True)
class Pairing:
    """The best alignment of one query form with one candidate form (internal, cheap)."""

    score: float
    pairs: tuple[tuple[str, str, str, float, float], ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    legal_forms: str


_NO_PAIRING = Pairing(0.0, (), (), (), "")


def align(
    query: NameForm,
    candidate: NameForm,
    rarity: Rarity = default_rarity,
) -> Pairing:
    """Align two normalised names token by token and score the alignment."""
    q_tokens, c_tokens = query.tokens, candidate.tokens
    similarity = similarity_for(query, candidate)
    if similarity is None:
        return _NO_PAIRING
    # Against Arabic script the article is in the words' skeletons, not a Latin word of its own.
    if query.script == ABJAD and candidate.script == LATIN:
        c_tokens = tuple(t for t in c_tokens if t not in LATIN_ARTICLES) or c_tokens
    elif candidate.script == ABJAD and query.script == LATIN:
        q_tokens = tuple(t for t in q_tokens if t not in LATIN_ARTICLES) or q_tokens
    if not q_tokens or not c_tokens:
        return _NO_PAIRING
    q_weights = [_role_weight(t, query.script) * rarity(equivalence_key(t)) for t in q_tokens]
    c_weights = [_role_weight(t, candidate.script) * rarity(equivalence_key(t)) for t in c_tokens]

    # Options: (score, query indices, candidate indices, method).
    options: list[tuple[float, tuple[int, ...], tuple[int, ...], str]] = []
    for i, q_token in enumerate(q_tokens):
        for j, c_token in enumerate(c_tokens):
            score, method = similarity(q_token, c_token)
            if score:
                options.append((score, (i,), (j,), method))
    # Two adjacent parts on one side written as one part on the other.
    for side_tokens, other_tokens, query_side in (
        (c_tokens, q_tokens, False),
        (q_tokens, c_tokens, True),
    ):
        for j in range(len(side_tokens) - 1):
            joined = side_tokens[j] + side_tokens[j + 1]
            for i, other in enumerate(other_tokens):
                if abs(len(other) - len(joined)) > 2 and query.script == candidate.script:
                    continue
                if query_side:
                    score, method = similarity(joined, other)
                else:
                    score, method = similarity(other, joined)
                if score >= 0.8 and method != "initial":
                    score *= SCORE_JOINED
                    if query_side:
                        options.append((score, (j, j + 1), (i,), "joined"))
                    else:
                        options.append((score, (i,), (j, j + 1), "joined"))
    q_generations, c_generations = _generations(q_tokens), _generations(c_tokens)
    if q_generations and c_generations:
        # "Muhammad bin Salman" is Salman's son, "Salman bin Muhammad" Muhammad's: a part pairs
        # only with a part of the same generation when both names say whose son each part is.
        options = [
            option
            for option in options
            if {q_generations[i] for i in option[1]} == {c_generations[j] for j in option[2]}
        ]
    options.sort(key=lambda option: (-option[0], -len(option[1]) - len(option[2])))

    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[tuple[str, str, str, float, float]] = []
    numerator = 0.0
    matched_weight = 0.0
    strong_part = False
    for score, q_idx, c_idx, method in options:
        if used_q.intersection(q_idx) or used_c.intersection(c_idx):
            continue
        used_q.update(q_idx)
        used_c.update(c_idx)
        weight = (sum(q_weights[i] for i in q_idx) + sum(c_weights[j] for j in c_idx)) / 2
        numerator += score * weight
        matched_weight += weight
        q_text = " ".join(q_tokens[i] for i in q_idx)
        c_text = " ".join(c_tokens[j] for j in c_idx)
        if method != "initial" and not all(
            q_tokens[i] in PARTICLES or q_tokens[i] in ABJAD_PARTICLES for i in q_idx
        ):
            strong_part = True
        pairs.append((q_text, c_text, method, round(score, 4), round(weight, 4)))
    unmatched_q = tuple(t for i, t in enumerate(q_tokens) if i not in used_q)
    unmatched_c = tuple(t for j, t in enumerate(c_tokens) if j not in used_c)
    extra_q = sum(w for i, w in enumerate(q_weights) if i not in used_q)
    extra_c = sum(w for j, w in enumerate(c_weights) if j not in used_c)
    extra_query, extra_candidate = EXTRA_QUERY, EXTRA_CANDIDATE
    # "President Putin": a title and one rare surname is how the press names a person, so the
    # other side's given names and patronymics count less against it.
    if _titled_rare_surname(query, q_weights, pairs):
        extra_candidate = EXTRA_CANDIDATE_TITLED
    if _titled_rare_surname(candidate, c_weights, pairs):
        extra_query = EXTRA_CANDIDATE_TITLED
    denominator = (
        matched_weight
        + extra_query * extra_q
        + extra_candidate * extra_c
        + CONFLICT * min(extra_q, extra_c)
    )
    score = numerator / denominator if denominator else 0.0
    if not strong_part:
        score = min(score, REPORT_CUTOFF)

    # Whole names equal once spaces go ("SiemensAG" / "Siemens AG", "RamiMakhlouf").
    if score < SCORE_JOINED and (
        "".join(q_tokens) == "".join(c_tokens) or query.compact == candidate.compact
    ):
        score = SCORE_JOINED
        pairs = [(" ".join(q_tokens), " ".join(c_tokens), "joined", SCORE_JOINED, 1.0)]
        unmatched_q = unmatched_c = ()

    if score < SCORE_ACRONYM and _is_acronym(q_tokens, c_tokens):
        score = SCORE_ACRONYM
        pairs = [(" ".join(q_tokens), " ".join(c_tokens), "acronym", SCORE_ACRONYM, 1.0)]
        unmatched_q = unmatched_c = ()

    legal = ""
    distinguishing = _national_subsidiary(q_tokens, used_q) + _national_subsidiary(c_tokens, used_c)
    if (query.entity or candidate.entity) and distinguishing:
        # Banco Santander and Banco Santander Chile: a country added to an organisation's name
        # names its national subsidiary, another legal person.
        score *= NATIONAL_SUBSIDIARY
        legal = f"{' '.join(distinguishing)} on one side only: another organisation; "
    if query.legal_forms or candidate.legal_forms:
        q_forms, c_forms = set(query.legal_forms), set(candidate.legal_forms)
        if q_forms and c_forms and not q_forms & c_forms:
            score -= LEGAL_FORM_MISMATCH
            legal += (
                f"legal forms differ ({'/'.join(sorted(q_forms))} vs {'/'.join(sorted(c_forms))})"
            )
        elif q_forms & c_forms:
            legal += f"legal forms agree ({'/'.join(sorted(q_forms & c_forms))})"
        else:
            legal += "legal form on one side only (no effect)"
    legal = legal.removesuffix("; ")
    if query.variant == WADE_GILES or candidate.variant == WADE_GILES:
        score *= WADE_GILES_FACTOR
    elif ABJAD in (query.script, candidate.script) and query.script != candidate.script:
        score *= SKELETON_FACTOR
    return Pairing(max(0.0, min(1.0, score)), tuple(pairs), unmatched_q, unmatched_c, legal)


def _national_subsidiary(tokens: Sequence[str], used: set[int]) -> list[str]:
    """Unpaired country names that qualify an organisation's name ("Banco Santander Chile",
    "Bowne Global Solutions (Japan)"), not those that are part of it ("Sberbank of Russia")."""
    return [
        token
        for number, token in enumerate(tokens)
        if number not in used
        and (number == 0 or tokens[number - 1] not in _NAME_LINKS)
        and _is_country(token)
    ]


_NAME_LINKS = frozenset(["of", "in", "for", "de", "del", "du", "des", "di", "da", "van", "von"])


@lru_cache(maxsize=100_000)
def _is_country(token: str) -> bool:
    return len(token) >= 4 and normalise_country(token) is not None


PATRONYMIC_LINKS = frozenset(
    ["bin", "ibn", "bint", "binti", "ben", "ould", "wuld", "بن", "ابن", "بنت", "ولد"]
)
"""Words that say the next part names the previous part's father (bin, ibn, bint, ould)."""


def _generations(tokens: Sequence[str]) -> tuple[int, ...]:
    """Per token, how many patronymic links come before it; () when the name has none."""
    if not any(token in PATRONYMIC_LINKS for token in tokens):
        return ()
    generation, found = 0, []
    for token in tokens:
        if token in PATRONYMIC_LINKS:
            generation += 1
            found.append(-1)  # the link itself pairs with any link
        else:
            found.append(generation)
    return tuple(found)


def _titled_rare_surname(
    form: NameForm, weights: Sequence[float], pairs: Sequence[tuple[str, str, str, float, float]]
) -> bool:
    """A name that was a title and one rare name part, and that part was matched."""
    return (
        bool(form.removed)
        and len(form.tokens) == 1
        and len(form.tokens[0]) >= 4  # a surname, not one syllable
        and weights[0] >= RARE
        and len(pairs) == 1
        and pairs[0][3] >= SCORE_INFLECTED
    )


def _is_acronym(q_tokens: Sequence[str], c_tokens: Sequence[str]) -> bool:
    """One side is a single token of the other side's initials (with or without particles)."""
    for short, long in ((q_tokens, c_tokens), (c_tokens, q_tokens)):
        if len(short) == 1 and len(short[0]) >= 2 and len(long) >= 2 and short[0].isalpha():
            every = "".join(t[0] for t in long)
            main = "".join(t[0] for t in long if t not in PARTICLES)
            if short[0] in (every, main):
                return True
    return False


def best_pairing(
    query_forms: Sequence[NameForm],
    candidate_forms: Sequence[NameForm],
    rarity: Rarity = default_rarity,
) -> tuple[Pairing, NameForm | None, NameForm | None]:
    """The best-scoring alignment over every query form and candidate form."""
    best, best_q, best_c = _NO_PAIRING, None, None
    for q_form in query_forms:
        for c_form in candidate_forms:
            pairing = align(q_form, c_form, rarity)
            if pairing.score > best.score or best_q is None:
                best, best_q, best_c = pairing, q_form, c_form
    return best, best_q, best_c


# --- Qualifiers --------------------------------------------------------------------------------


def _year_range(value: str) -> tuple[int, int] | None:
    try:
        if "/" in value:
            start, end = value.split("/", 1)
            return int(start[:4]), int(end[:4])
        return int(value[:4]), int(value[:4])
    except ValueError:
        return None


def qualifiers(query: Query, entry: ListEntry) -> tuple[Qualifier, ...]:
    """Date of birth, nationality and gender comparisons; missing data never costs anything."""
    found: list[Qualifier] = []
    if query.date_of_birth and entry.dates_of_birth:
        found.append(_compare_dob(query.date_of_birth, entry.dates_of_birth))
    query_country = normalise_country(query.nationality)
    if query_country and entry.nationalities:
        agree = query_country in entry.nationalities
        found.append(
            Qualifier(
                feature="nationality",
                query=query_country,
                candidate=", ".join(entry.nationalities),
                effect=0.0 if agree else QUALIFIER_NATIONALITY,
                detail="match" if agree else "mismatch",
            )
        )
    query_gender = normalise_gender(query.gender)
    if query_gender and entry.gender:
        agree = query_gender == entry.gender
        found.append(
            Qualifier(
                feature="gender",
                query=query_gender,
                candidate=entry.gender,
                effect=0.0 if agree else QUALIFIER_GENDER,
                detail="match" if agree else "mismatch",
            )
        )
    return tuple(found)


def _compare_dob(query_dob: str, entry_dobs: Sequence[str]) -> Qualifier:
    listed = ", ".join(entry_dobs)
    query_years = _year_range(query_dob)
    if query_years is None:
        return Qualifier(
            feature="dob_year",
            query=query_dob,
            candidate=listed,
            effect=0.0,
            detail="query date not understood",
        )
    year_overlap = False
    for value in entry_dobs:
        years = _year_range(value)
        if years and years[0] <= query_years[1] and query_years[0] <= years[1]:
            year_overlap = True
    if not year_overlap:
        return Qualifier(
            feature="dob_year",
            query=query_dob,
            candidate=listed,
            effect=QUALIFIER_DOB_YEAR,
            detail="years disjoint",
        )
    full_query = len(query_dob) == 10
    full_listed = [value for value in entry_dobs if len(value) == 10]
    if full_query and full_listed and len(full_listed) == len(entry_dobs):
        if query_dob in full_listed:
            return Qualifier(
                feature="dob_day", query=query_dob, candidate=listed, effect=0.0, detail="match"
            )
        swapped = f"{query_dob[:4]}-{query_dob[8:10]}-{query_dob[5:7]}"
        if swapped in full_listed:
            return Qualifier(
                feature="dob_day",
                query=query_dob,
                candidate=listed,
                effect=QUALIFIER_DOB_SWAPPED,
                detail="day and month swapped",
            )
        return Qualifier(
            feature="dob_day",
            query=query_dob,
            candidate=listed,
            effect=QUALIFIER_DOB_DAY,
            detail="same year, different day",
        )
    return Qualifier(
        feature="dob_year", query=query_dob, candidate=listed, effect=0.0, detail="year matches"
    )


def band_for(score: float, qualifier_list: Sequence[Qualifier] = ()) -> Band:
    """The band for a final score; a disagreeing qualifier caps a hit at review."""
    if score >= STRONG_THRESHOLD and not any(q.effect < 0 for q in qualifier_list):
        return Band.STRONG
    if score >= REVIEW_THRESHOLD:
        return Band.REVIEW
    return Band.NO_ALERT


def explain(
    pairing: Pairing,
    query_form: NameForm,
    entry_id: str,
    matched_name: str,
    matched_name_type: str,
    qualifier_list: Sequence[Qualifier],
    snapshot_id: str,
) -> Explanation:
    """Build the frozen explanation record for one scored pairing."""
    final = max(0.0, min(1.0, pairing.score + sum(q.effect for q in qualifier_list)))
    return Explanation(
        entry_id=entry_id,
        matched_name=matched_name,
        matched_name_type=matched_name_type,
        query_variant=" ".join(query_form.tokens),
        alignment=tuple(
            TokenAlignment(query=q, candidate=c, method=m, score=s, weight=w)
            for q, c, m, s, w in pairing.pairs
        ),
        unmatched_query=pairing.unmatched_query,
        unmatched_candidate=pairing.unmatched_candidate,
        legal_forms=pairing.legal_forms,
        name_score=round(pairing.score, 4),
        qualifiers=tuple(qualifier_list),
        final_score=round(final, 4),
        band=band_for(final, qualifier_list),
        review_threshold=REVIEW_THRESHOLD,
        strong_threshold=STRONG_THRESHOLD,
        snapshot_id=snapshot_id,
        algorithm_version=ALGORITHM_VERSION,
    )


def compare_names(name1: str, name2: str, entity: bool = False) -> Explanation:
    """Score two bare names against each other (the `match` command): no list, no qualifiers."""
    forms1 = name_forms(name1, entity)
    forms2 = name_forms(name2, entity)
    pairing, q_form, _ = best_pairing(forms1, forms2)
    if q_form is None:
        q_form = NameForm(name1, (), (), (), "")
    return explain(pairing, q_form, "", name2, "given", (), "")
