"""The course's widget apps: thin ipywidgets wiring over the coach and render.

Importing this package displays nothing and loads no model; each function builds an app when it is called.

    from relational.widgets import story_studio
    story_studio()
"""

from __future__ import annotations

import importlib

_APPS = {
    "story_studio": "relational.widgets.studio",
    "story_of_now_builder": "relational.widgets.now_builder",
    "one_to_one_planner": "relational.widgets.one_to_one",
    "relationship_log": "relational.widgets.log",
    "quizzes": "relational.widgets.quiz",
    "chapter_quiz": "relational.widgets.quiz",
}
# The app functions are named differently from the modules (now_builder, one_to_one, quiz): a submodule,
# once imported, is an attribute of the package and would hide a function of the same name.

__all__ = sorted(_APPS)


def __getattr__(name: str):
    """Import an app's module only when the app is asked for."""
    if name in _APPS:
        return getattr(importlib.import_module(_APPS[name]), name)
    raise AttributeError(f"module 'relational.widgets' has no attribute {name!r}")
