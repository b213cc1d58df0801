"""Relational: the course's Python package (the story coach, rendering, widgets, grading and workshop tools)."""

__version__ = "0.1.0"
