"""The Textual terminal UI (composition root)."""
