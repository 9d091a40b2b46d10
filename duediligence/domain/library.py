"""The checklist library: the definitions loaded together, with where each came from.

A case records each checklist's id, version and content hash from here, so the audit file can
prove which version of the firm's procedure was applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from duediligence.domain.checklist import Checklist, CountryList
from duediligence.domain.vocabulary import ClientType, FirmRole


@dataclass(frozen=True, slots=True)
class ChecklistSource:
    """Where a checklist was read from and the SHA-256 of the file's bytes."""

    path: str
    """File it was read from."""
    sha256: str
    """Hash of the file content, recorded on every case that uses it."""
    text: str = ""
    """The file's content as read (kept in the case file of every case that uses it)."""


@dataclass(frozen=True)
class ChecklistLibrary:
    """Validated checklists and country lists, by id."""

    checklists: Mapping[str, Checklist]
    """Checklists by id."""
    country_lists: Mapping[str, CountryList] = field(default_factory=dict)
    """Country lists by id."""
    sources: Mapping[str, ChecklistSource] = field(default_factory=dict)
    """Source file and hash by checklist or country-list id."""

    def get(self, checklist_id: str) -> Checklist | None:
        """The checklist with this id, if loaded."""
        return self.checklists.get(checklist_id)

    def starting_for(
        self, firm_role: FirmRole, client_type: ClientType, acting_for: str | None = None
    ) -> list[Checklist]:
        """Checklists that start on their own for a new matter of this kind, in id order."""
        found = []
        for checklist in self.checklists.values():
            applies = checklist.applies_to
            if applies.start != "automatic" or firm_role not in applies.firm_roles:
                continue
            if applies.client_types and client_type not in applies.client_types:
                continue
            if applies.acting_for and acting_for not in applies.acting_for:
                continue
            found.append(checklist)
        return sorted(found, key=lambda c: c.id)
