"""Helpers for the book's notebook pages: show the coach's feedback on an example draft as static HTML."""

from __future__ import annotations

from IPython.display import HTML

from relational.coach import analyse
from relational.render import highlight


def show_feedback(text: str, kind: str | None = None) -> HTML:
    """The coach's feedback on a draft, rendered for a book page (it reads well with no kernel).

    Args:
        text: the example draft.
        kind: "self", "us", "now" or None.

    Returns:
        An IPython HTML object; as a cell's last expression it is displayed and saved in the page.
    """
    return HTML(highlight(analyse(text, kind)))
