"""Offline PEP and sanctions screening: list importers, name normalisation, matching, explanations.

Pure computation over in-process data; no Textual, no network.
"""
