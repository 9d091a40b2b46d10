"""The TUI's flows: what a key on a screen does (open a dialog, act through the case file with
what it returns, say the outcome, reload). The dialogs in `tui/modals` only collect and check a
form; they know nothing of the screens, so a dialog can be opened from any screen.
"""
