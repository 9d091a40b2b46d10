"""Tables of personal names: one given name across languages, nicknames, and inflected surnames.

Small and written out here (reviewable in a diff) rather than a corpus: the given names are those
common on sanctions and PEP lists in their English, Greek, Slavic, Romance, Germanic, Hebrew and
Arabic forms; the nicknames are the customary English and Russian hypocorisms (Bibi, Jon, Sasha).
Every spelling is compared by its transliteration-equivalence key, so one spelling per sound is
enough. Pure functions; a change here changes the normaliser's version.
"""

from __future__ import annotations

import re
from functools import lru_cache

from duediligence.screening.normalise import equivalence_key

# One line per given name: its forms in the languages of the lists.
GIVEN_NAMES: tuple[str, ...] = (
    "alexander alexandros aleksandr aleksander alexandre alejandro alessandro oleksandr"
    " aliaksandr alyaksandr aleksandar",
    "george giorgos georgios georgy georgiy georgii jorge giorgio georg georges giorgi jurgen",
    "constantine konstantinos konstantin constantin costantino",
    "john ioannis giannis yannis ivan juan jean johann johannes giovanni ioan ion yohannes",
    "nicholas nikolaos nikolai nikolay mykola nicolas nicola niccolo nikola mikalai",
    "demetrius dimitrios dmitry dmitri dimitri dimitar dmytro",
    "andrew andreas andrei andrey andriy andre andres andrea andrzej ondrej",
    "peter petros pyotr petr pierre pedro pietro petro piotr",
    "paul pavlos pavel pablo paolo pavlo pawel",
    "michael michail mikhail mykhailo michel miguel michele mikheil michal mikhael",
    "basil vasileios vasilis vasily vasiliy vasyl vasil",
    "joseph iosif yosef yusuf youssef josef jose giuseppe osip josip",
    "benjamin binyamin veniamin beniamin",
    "jacob yaakov yakov yaqub jakob jacques giacomo jakub",
    "abraham avraham ibrahim abram",
    "isaac yitzhak itzhak ishaq",
    "moses moshe musa moises",
    "solomon shlomo suleiman sulaiman suleyman",
    "david dawood dawud davit davide",
    "daniel danil daniil daniele",
    "gregory grigory grigoriy grigorios gregor gregorio grzegorz",
    "stephen stefanos stepan stefan esteban stephane steven stefano",
    "thomas tomas foma tommaso",
    "elizabeth elisabeth yelizaveta elisabetta isabel",
    "mary maria mariya marie maryam miriam",
    "catherine katherine yekaterina ekaterina katerina caterina katarzyna",
    "helen elena yelena eleni helena olena",
    "sophia sofia sofiya sophie zofia",
    "eugene evgeny yevgeny yevhen eugenio evgenios",
    "sergei sergey serhiy sergio serge sergiy",
    "leo lev leon",
    "theodore fyodor fedor teodor theodoros fedir",
    "anthony antonios anton antonio antoine antoni",
    "jesus isa yeshua",
    "joshua yehoshua",
    "elijah ilya ilias elias",
)
# Nicknames: the nickname, then the given names it stands for.
NICKNAMES: tuple[str, ...] = (
    "bibi benjamin",
    "ben benjamin",
    "jon john",
    "johnny john",
    "jack john",
    "bill william",
    "will william",
    "billy william",
    "bob robert",
    "rob robert",
    "bobby robert",
    "dick richard",
    "rick richard",
    "jim james",
    "jimmy james",
    "mike michael",
    "tom thomas",
    "tony anthony",
    "alex alexander",
    "sasha alexander",
    "dima dmitry",
    "volodya vladimir",
    "vova vladimir",
    "kolya nikolai",
    "misha mikhail",
    "pasha pavel",
    "zhenya evgeny",
    "lyosha aleksei",
    "kate catherine",
    "liz elizabeth",
    "beth elizabeth",
    "maggie margaret",
    "peggy margaret",
    "ted edward",
    "ed edward",
    "eddie edward",
    "charlie charles",
    "chuck charles",
    "harry henry",
    "hank henry",
    "dave david",
    "dan daniel",
    "danny daniel",
    "sam samuel",
    "nick nicholas",
    "steve stephen",
    "andy andrew",
    "pete peter",
    "joe joseph",
    "chris christopher",
    "matt matthew",
    "greg gregory",
    "larry lawrence",
    "fred frederick",
    "sue susan",
)


def _groups() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]]]:
    given: dict[str, set[int]] = {}
    for number, line in enumerate(GIVEN_NAMES):
        for spelling in line.split():
            given.setdefault(equivalence_key(spelling), set()).add(number)
    nick: dict[str, set[int]] = {}
    for line in NICKNAMES:
        nickname, *full_names = line.split()
        for full in full_names:
            key = equivalence_key(full)
            # A nickname reaches the given name's whole group (Bibi: Binyamin too).
            targets = given.get(key) or {len(GIVEN_NAMES) + hash(key) % 1_000_000}
            for target in targets:
                nick.setdefault(equivalence_key(nickname), set()).add(target)
                nick.setdefault(key, set()).add(target)
    return (
        {key: frozenset(v) for key, v in given.items()},
        {key: frozenset(v) for key, v in nick.items()},
    )


_GIVEN, _NICK = _groups()
_EMPTY: frozenset[int] = frozenset()


@lru_cache(maxsize=100_000)
def given_name_groups(key: str) -> tuple[frozenset[int], frozenset[int]] | None:
    """(given-name groups, nickname groups) of an equivalence key, or None when in neither."""
    given, nick = _GIVEN.get(key, _EMPTY), _NICK.get(key, _EMPTY)
    if not given and not nick:
        return None
    return given, nick | given


# Hungarian spells Russian palatal sounds with digraphs (Vlagyimir, Putyin, Szergej).
_HUNGARIAN = (("gy", "d"), ("ty", "t"), ("ny", "n"), ("sz", "s"), ("cs", "ch"), ("zs", "zh"))
# Lithuanian and Latvian add case endings to every name (Putinas, Vladimirs, Lavrovas).
_BALTIC_ENDING = re.compile(r"(?<=[a-z]{4})(?:as|is|ys|us|(?<=[^aeiousz])s)$")


@lru_cache(maxsize=200_000)
def inflection_stem(token: str) -> str:
    """The token without Baltic case endings and with Hungarian digraphs read plainly."""
    stem = token
    for digraph, plain in _HUNGARIAN:
        stem = stem.replace(digraph, plain)
    return _BALTIC_ENDING.sub("", stem)
