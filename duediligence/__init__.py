"""duediligence: offline AML due diligence for UK solicitors and estate agents.

Nothing is imported here on purpose: the TUI, the CLI and the report pipeline each load only
what they need, so `import duediligence.domain` stays light.
"""

__version__ = "0.1.0"
