"""The PDF audit file: view models, Jinja2 templates, WeasyPrint rendering (no Textual)."""
