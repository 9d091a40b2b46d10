"""Identity document numbers are shown masked: the audit file and the TUI print only the end.

One rule for every output, so a passport number never appears whole in a printed file or on a
screen someone else can see.
"""

from __future__ import annotations

import re


def mask_number(number: str | None, keep: int = 4) -> str:
    """An identity document number with all but its last characters hidden.

    At most `keep` characters show, and never more than a third of the number, so a short
    number is not printed almost whole.
    """
    if not number:
        return "not recorded"
    compact = re.sub(r"\s+", "", number)
    shown = min(keep, len(compact) // 3)
    return "•" * (len(compact) - shown) + compact[len(compact) - shown :]
