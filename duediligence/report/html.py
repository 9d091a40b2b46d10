"""The Jinja2 side of the audit file: one Environment (autoescape on, undefined variables fail),
templates searched in the firm's folder first and then the bundled `templates/`.

Templates are named `*.html` (Jinja's `select_autoescape` would miss `*.html.j2`; autoescape is
simply always on here). Templates receive the view model only and place strings: formatting is
done in `view.py`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from duediligence.adapters.locations import bundled_templates_dir
from duediligence.report import ReportError
from duediligence.report.view import AuditFile

MAIN_TEMPLATE = "audit_file.html"
"""The template a firm overrides to change the whole layout (or override a partial in parts/)."""


def environment(firm_templates: Path | None = None) -> jinja2.Environment:
    """The audit file's Jinja2 environment."""
    loaders: list[jinja2.BaseLoader] = []
    if firm_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(firm_templates)))
    loaders.append(jinja2.FileSystemLoader(str(bundled_templates_dir())))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(
    audit: AuditFile,
    *,
    firm_templates: Path | None = None,
    env: jinja2.Environment | None = None,
) -> str:
    """The audit file as one HTML document; ReportError naming the template on any error."""
    env = env or environment(firm_templates)
    try:
        return env.get_template(MAIN_TEMPLATE).render(audit=audit, parts=audit.parts)
    except jinja2.TemplateError as error:
        raise ReportError(f"template error in {_where(error)}: {error}") from error


def _where(error: jinja2.TemplateError) -> str:
    """The template file and line at fault: from a syntax error itself, or else from the
    innermost template frame of the traceback (Jinja maps those frames to template lines)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name = error.filename or error.name or MAIN_TEMPLATE
        return f"{name}, line {error.lineno}"
    found = MAIN_TEMPLATE
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = f"{filename}, line {trace.tb_lineno}"
        trace = trace.tb_next
    return found
