"""List importers: one function per file format, each returning one immutable Snapshot.

A malformed file raises ListFormatError naming the file, the row (or line, or XML element) and the
field; nothing partial is ever returned.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from duediligence.domain.paths import path_problem
from duediligence.screening.importers.common import DEFAULT_MAX_BYTES, ListFormatError
from duediligence.screening.importers.ftm_json import import_ftm_json
from duediligence.screening.importers.ofac_csv import import_ofac_csv
from duediligence.screening.importers.pep_csv import import_pep_csv
from duediligence.screening.importers.uksl_csv import import_uksl_csv
from duediligence.screening.importers.un_xml import import_un_xml
from duediligence.screening.model import Snapshot

IMPORTERS: dict[str, Callable[[Path, int], Snapshot]] = {
    "uksl-csv": import_uksl_csv,
    "un-xml": import_un_xml,
    "ofac-csv": import_ofac_csv,
    "pep-csv": import_pep_csv,
    "ftm-json": import_ftm_json,
}
"""Format name (as the command line spells it) to importer."""


def import_list(list_format: str, path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Snapshot:
    """Import one list file in the named format (each of its files at most `max_bytes`)."""
    importer = IMPORTERS.get(list_format)
    if importer is None:
        raise ListFormatError(
            path,
            "",
            "format",
            f"unknown list format {list_format!r}; use one of {', '.join(IMPORTERS)}",
        )
    problem = path_problem(path, folder_ok=list_format == "ofac-csv")
    if problem is not None:
        raise ListFormatError(path, "", "file", problem)
    return importer(path, max_bytes)


__all__ = ["IMPORTERS", "ListFormatError", "import_list"]
