"""Alembic migrations of the case-file schema, run programmatically when a store is opened."""
