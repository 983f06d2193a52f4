"""Worked examples built with the core API alone (see the tutorial in the docs)."""
