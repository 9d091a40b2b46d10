"""The citation formats a checklist question may carry, so every citation can be traced to a source.

A citation is free text only within a known shape: an unknown shape is a load error, because a
typo such as "MLR 28" would otherwise print in an audit file as if it were a reference.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class CitationFormat(NamedTuple):
    """One accepted shape of citation."""

    source: str
    """The instrument or guidance the citation points into."""
    pattern: re.Pattern[str]
    """The full-match pattern."""
    example: str
    """An example shown in error messages and documentation."""


_PARA = r"\d+(?:\.\d+)*"
_SUB = r"(?:\(\w{1,5}\))*"

CITATION_FORMATS: tuple[CitationFormat, ...] = (
    CitationFormat(
        "Money Laundering Regulations 2017",
        re.compile(rf"MLR reg \d+[A-Z]?{_SUB}(?:(?:, | and | to )\d+[A-Z]?{_SUB})*"),
        "MLR reg 28(2)(a)",
    ),
    CitationFormat(
        "MLR schedule",
        re.compile(r"MLR Sch(?:edule)? \d+[A-Z]*(?: para \d+)?"),
        "MLR Sch 3ZA",
    ),
    CitationFormat(
        "Legal Sector Affinity Group guidance",
        re.compile(rf"LSAG (?:para |section )?{_PARA}"),
        "LSAG para 6.14",
    ),
    CitationFormat(
        "HMRC Economic Crime Supervision Handbook",
        re.compile(r"ECSH\d{5}"),
        "ECSH63515",
    ),
    CitationFormat(
        "HMRC estate agency guidance",
        re.compile(rf"HMRC EAB guidance (?:para |section )?{_PARA}"),
        "HMRC EAB guidance section 4",
    ),
    CitationFormat(
        "FCA finalised guidance",
        re.compile(rf"FCA FG\d{{2}}/\d{{1,2}}(?: para {_PARA})?"),
        "FCA FG25/3 para 2.14",
    ),
    CitationFormat(
        "Proceeds of Crime Act 2002",
        re.compile(rf"POCA s\.?\s?\d+[A-Z]?{_SUB}"),
        "POCA s.330",
    ),
    CitationFormat(
        "Sanctions and Anti-Money Laundering Act 2018 and regulations under it",
        re.compile(r"SAMLA(?: s\.?\s?\d+| reg \d+)?(?: [A-Z][\w ()'-]+Regulations \d{4})?"),
        "SAMLA s.1",
    ),
    CitationFormat(
        "Economic Crime (Transparency and Enforcement) Act 2022",
        re.compile(rf"ECTEA 2022 s\.?\s?\d+{_SUB}"),
        "ECTEA 2022 s.4",
    ),
    CitationFormat(
        "SRA guidance, warning notices and thematic reviews",
        re.compile(r"SRA (?:guidance|warning notice|thematic review): [A-Za-z][\w ,'()&/-]{3,120}"),
        "SRA warning notice: client and matter risk assessments",
    ),
    CitationFormat(
        "OFSI guidance",
        re.compile(r"OFSI guidance: [A-Za-z][\w ,'()&/-]{3,120}"),
        "OFSI guidance: ownership and control",
    ),
    CitationFormat(
        "FATF recommendations and lists",
        re.compile(r"FATF (?:R\.\d+|high-risk jurisdictions|increased monitoring)"),
        "FATF R.12",
    ),
    CitationFormat(
        "UK GDPR",
        re.compile(r"UK GDPR art\.?\s?\d+(?:\(\d+\))?"),
        "UK GDPR art 13",
    ),
    CitationFormat(
        "Firm policy",
        re.compile(r"Firm policy: [A-Za-z][\w ,'()&/.-]{3,120}"),
        "Firm policy: cash acceptance limit",
    ),
)


def citation_source(citation: str) -> str | None:
    """The source a citation points into, or None when its shape is not one we know."""
    for fmt in CITATION_FORMATS:
        if fmt.pattern.fullmatch(citation):
            return fmt.source
    return None


def known_formats_hint() -> str:
    """A short list of example citations for error messages."""
    return ", ".join(f'"{fmt.example}"' for fmt in CITATION_FORMATS)
