"""The terminal UI (Textual): the gatekeeper's walk-through and the compliance lead's desk.

A composition root beside the CLI: it opens the case file through `duediligence.compose` and
calls the services; it holds no rules of its own. Only this package and `cli/` import Textual.
"""
