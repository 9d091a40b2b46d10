"""Thin I/O behind the services' ports: the TOML checklist loader, storage, locations."""
