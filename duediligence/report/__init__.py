"""The PDF audit file: view models, Jinja2 templates, WeasyPrint rendering (no Textual).

`view` turns a case (as the services show it) into plain data; `html` renders it with Jinja2;
`pdf` lays it out with WeasyPrint (imported lazily: it costs about half a second) as PDF/A-3b with
the evidence embedded; `verify_pdf` checks a finished file. `python -m duediligence.report` is the
child-process entry the TUI starts.
"""

from __future__ import annotations

from duediligence.domain.errors import DueDiligenceError


class ReportError(DueDiligenceError):
    """The audit file cannot be made or is not valid: a template, asset or file problem."""
