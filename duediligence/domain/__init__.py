"""The domain: pydantic models and pure functions (checklists, conditions, evaluation, answers).

Nothing here performs I/O or imports Textual, SQLAlchemy, Jinja2, WeasyPrint or click; the
import-linter contracts in pyproject.toml and tests/test_import_hygiene.py hold that line.
"""
