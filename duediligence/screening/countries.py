"""Country names and ISO 3166-1 alpha-2 codes, so qualifiers compare "af", "Afghanistan" and "AFG".

The names are the domain's one ISO table (`domain/iso.py`); here are only the other spellings the
lists use: the tz database's short forms, the long official forms of the UN and OFAC lists, and
common demonyms. Pure data and one lookup function.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii

from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.iso import COUNTRIES

_OTHER_SPELLINGS: dict[str, str] = {
    "Antigua & Barbuda": "AG",
    "Samoa (American)": "AS",
    "Bosnia & Herzegovina": "BA",
    "St Barthelemy": "BL",
    "Brunei": "BN",
    "Caribbean NL": "BQ",
    "Congo (Dem. Rep.)": "CD",
    "Central African Rep.": "CF",
    "Congo (Rep.)": "CG",
    "Cape Verde": "CV",
    "Czech Republic": "CZ",
    "Falkland Islands": "FK",
    "Micronesia": "FM",
    "Britain (UK)": "GB",
    "South Georgia & the South Sandwich Islands": "GS",
    "Heard Island & McDonald Islands": "HM",
    "St Kitts & Nevis": "KN",
    "Korea (North)": "KP",
    "Korea (South)": "KR",
    "St Lucia": "LC",
    "St Martin (French)": "MF",
    "Myanmar (Burma)": "MM",
    "Macau": "MO",
    "St Pierre & Miquelon": "PM",
    "Palestine": "PS",
    "Russia": "RU",
    "St Helena": "SH",
    "Svalbard & Jan Mayen": "SJ",
    "Sao Tome & Principe": "ST",
    "St Maarten (Dutch)": "SX",
    "Eswatini (Swaziland)": "SZ",
    "Turks & Caicos Is": "TC",
    "French S. Terr.": "TF",
    "East Timor": "TL",
    "Turkey": "TR",
    "Trinidad & Tobago": "TT",
    "US minor outlying islands": "UM",
    "Vatican City": "VA",
    "St Vincent": "VC",
    "Virgin Islands (UK)": "VG",
    "Virgin Islands (US)": "VI",
    "Wallis & Futuna": "WF",
    "Samoa (western)": "WS",
}
"""The tz database's short spellings where they differ from the ISO names."""

# Official long forms (UN list), older or other names, and demonyms, all mapped to the code.
_ALIASES: dict[str, str] = {
    "afghan": "AF",
    "albanian": "AL",
    "algerian": "DZ",
    "american": "US",
    "angolan": "AO",
    "argentine": "AR",
    "armenian": "AM",
    "australian": "AU",
    "austrian": "AT",
    "azerbaijani": "AZ",
    "bahraini": "BH",
    "bangladeshi": "BD",
    "belarusian": "BY",
    "belgian": "BE",
    "bolivia (plurinational state of)": "BO",
    "bosnian": "BA",
    "brazilian": "BR",
    "british": "GB",
    "bulgarian": "BG",
    "burmese": "MM",
    "burma": "MM",
    "cambodian": "KH",
    "cameroonian": "CM",
    "canadian": "CA",
    "chadian": "TD",
    "chilean": "CL",
    "chinese": "CN",
    "colombian": "CO",
    "congolese": "CD",
    "congo": "CG",
    "republic of the congo": "CG",
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "cote d'ivoire": "CI",
    "côte d'ivoire": "CI",
    "ivory coast": "CI",
    "croatian": "HR",
    "cuban": "CU",
    "cypriot": "CY",
    "czech": "CZ",
    "czechia": "CZ",
    "danish": "DK",
    "democratic people's republic of korea": "KP",
    "north korea": "KP",
    "dprk": "KP",
    "korea, north": "KP",
    "north korean": "KP",
    "republic of korea": "KR",
    "south korea": "KR",
    "korea, south": "KR",
    "south korean": "KR",
    "korean": "KR",
    "dutch": "NL",
    "egyptian": "EG",
    "emirati": "AE",
    "uae": "AE",
    "eritrean": "ER",
    "estonian": "EE",
    "ethiopian": "ET",
    "filipino": "PH",
    "finnish": "FI",
    "french": "FR",
    "georgian": "GE",
    "german": "DE",
    "ghanaian": "GH",
    "greek": "GR",
    "guinean": "GN",
    "haitian": "HT",
    "hungarian": "HU",
    "indian": "IN",
    "indonesian": "ID",
    "iran (islamic republic of)": "IR",
    "islamic republic of iran": "IR",
    "iranian": "IR",
    "iraqi": "IQ",
    "irish": "IE",
    "israeli": "IL",
    "italian": "IT",
    "japanese": "JP",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kazakhstani": "KZ",
    "kenyan": "KE",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "lao people's democratic republic": "LA",
    "latvian": "LV",
    "lebanese": "LB",
    "liberian": "LR",
    "libyan": "LY",
    "libyan arab jamahiriya": "LY",
    "lithuanian": "LT",
    "malaysian": "MY",
    "malian": "ML",
    "mauritanian": "MR",
    "mexican": "MX",
    "moldovan": "MD",
    "republic of moldova": "MD",
    "moroccan": "MA",
    "nepalese": "NP",
    "nigerian": "NG",
    "nigerien": "NE",
    "norwegian": "NO",
    "omani": "OM",
    "pakistani": "PK",
    "palestinian": "PS",
    "state of palestine": "PS",
    "palestine": "PS",
    "panamanian": "PA",
    "peruvian": "PE",
    "polish": "PL",
    "portuguese": "PT",
    "qatari": "QA",
    "romanian": "RO",
    "russian federation": "RU",
    "russian": "RU",
    "russia": "RU",
    "rwandan": "RW",
    "saudi": "SA",
    "saudi arabian": "SA",
    "senegalese": "SN",
    "serbian": "RS",
    "singaporean": "SG",
    "slovak": "SK",
    "slovenian": "SI",
    "somali": "SO",
    "south african": "ZA",
    "south sudanese": "SS",
    "spanish": "ES",
    "sri lankan": "LK",
    "sudanese": "SD",
    "swedish": "SE",
    "swiss": "CH",
    "syrian arab republic": "SY",
    "syrian": "SY",
    "syria": "SY",
    "taiwanese": "TW",
    "tajik": "TJ",
    "tajikistani": "TJ",
    "tanzanian": "TZ",
    "united republic of tanzania": "TZ",
    "thai": "TH",
    "tunisian": "TN",
    "turkish": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "turkmen": "TM",
    "ugandan": "UG",
    "ukrainian": "UA",
    "united kingdom of great britain and northern ireland": "GB",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "united states of america": "US",
    "united states": "US",
    "usa": "US",
    "u.s.a.": "US",
    "uzbek": "UZ",
    "uzbekistani": "UZ",
    "venezuela (bolivarian republic of)": "VE",
    "venezuelan": "VE",
    "viet nam": "VN",
    "vietnamese": "VN",
    "yemeni": "YE",
    "zimbabwean": "ZW",
    "bosnia": "BA",
    "bosnia-herzegovina": "BA",
    "macedonia": "MK",
    "north macedonia": "MK",
    "vatican": "VA",
    "holy see": "VA",
    "laos": "LA",
    "brunei": "BN",
    "east timor": "TL",
    "timor-leste": "TL",
    "micronesia": "FM",
    "cape verde": "CV",
    "cabo verde": "CV",
    "eswatini": "SZ",
    "swaziland": "SZ",
    "the gambia": "GM",
    "gambia": "GM",
    "the bahamas": "BS",
    "bahamas": "BS",
    "netherlands": "NL",
    "holland": "NL",
    "kyrgyzstan": "KG",
    "kyrgyz republic": "KG",
    "slovakia": "SK",
    "slovak republic": "SK",
    "turkey": "TR",
    "burkina": "BF",
    "guinea-bissau": "GW",
    "central african republic": "CF",
    "iran": "IR",
    "vietnam": "VN",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "kosovo": "XK",
    "former soviet union": "SU",
    "ussr": "SU",
    "soviet union": "SU",
    "yugoslavia": "YU",
    "serbia and montenegro": "CS",
}


def _fold(text: str) -> str:
    """Casefold and strip accents so "Côte d'Ivoire" and "cote d'ivoire" meet; a name in another
    script is romanised, so "Казахстан" meets "Kazakhstan"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")
    if folded.isascii():
        return folded
    return anyascii(folded).casefold()


_LOOKUP: dict[str, str] = {}
for _code, _name in COUNTRIES.items():
    _LOOKUP[_fold(_name)] = _code
    _LOOKUP[_code.casefold()] = _code
for _alias, _code in (_OTHER_SPELLINGS | _ALIASES).items():
    _LOOKUP[_fold(_alias)] = _code


def country_code(value: str) -> str | None:
    """The ISO alpha-2 code for a code, name, official long form or demonym; None if unknown."""
    folded = _fold(value)
    if not folded:
        return None
    found = _LOOKUP.get(folded)
    if found is not None:
        return found
    # "Samoa (American)" style and "Korea, Republic of" style forms.
    for variant in (folded.split("(")[0].strip(), " ".join(reversed(folded.split(", ")))):
        found = _LOOKUP.get(variant)
        if found is not None:
            return found
    return None


def read_country(what: str, text: str) -> str:
    """The ISO code for a country typed in a form field (a code, a name, an everyday name, or the
    start of one name only), or an error naming the field and what it might have meant."""
    typed = text.strip()
    code = country_code(typed) or _TYPED.get(_fold(typed))
    if code is not None and code in COUNTRIES:
        return code
    found = find_countries(typed, limit=4) if len(typed) <= 80 else []
    if len(found) == 1:
        return found[0]
    shown = typed[:40]
    if not found:
        raise DueDiligenceError(f"{what}: no country is called '{shown}' (e.g. GB, France)")
    names = ", ".join(f"{COUNTRIES[c]} ({c})" for c in found)
    raise DueDiligenceError(f"{what}: '{shown}' could be {names}; type more of the name")


# Everyday names people type that are not on any list (a search box, not a list entry).
_TYPED: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "russia": "RU",
    "holland": "NL",
}


def find_countries(text: str, limit: int = 12) -> list[str]:
    """Codes for a search box, best first: an exact code, name or everyday name ("UK",
    "England", "Turkey", "Cote d'Ivoire"), then names and spellings that start with the text,
    then names that contain it; accents and case ignored."""
    folded = _fold(text)
    if not folded:
        return sorted(COUNTRIES, key=lambda code: COUNTRIES[code])[:limit]
    ranked: dict[str, int] = {}

    def rank(code: str, score: int) -> None:
        if code in COUNTRIES and score < ranked.get(code, 99):
            ranked[code] = score

    exact = _TYPED.get(folded) or country_code(text)
    if exact is not None:
        rank(exact, 0)
    for code, name in COUNTRIES.items():
        if _fold(name).startswith(folded):
            rank(code, 1)
    others = [(name, code) for name, code in _LOOKUP.items() if len(name) > 2]
    for name, code in [*others, *_TYPED.items(), *((_fold(n), c) for c, n in COUNTRIES.items())]:
        if name.startswith(folded):
            rank(code, 2)
        elif folded in name:
            rank(code, 3)
    return sorted(ranked, key=lambda code: (ranked[code], COUNTRIES[code]))[:limit]
