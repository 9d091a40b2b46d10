"""Use cases over the domain, talking to storage through small ports."""
