"""Sphinx extension: keep the built book offline and its pages free of duplicate or unused scripts.

Jupyter Book 1 always adds sphinx-thebe (live code through a remote Binder), which puts an unpkg URL and a
second copy of its setup script on every page. The course never launches code from the book (learners open
the exercises in JupyterLab instead), so those scripts are dropped here.
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str(script.attributes.get("body", "") if hasattr(script, "attributes") else "")
    kind = script.attributes.get("type", "") if hasattr(script, "attributes") else ""
    return "thebe" in filename or "THEBE_JS_URL" in body or "thebe" in kind


def _key(script) -> tuple:
    attrs = getattr(script, "attributes", {}) or {}
    return (str(getattr(script, "filename", "") or ""), attrs.get("body", ""), attrs.get("type", ""))


def tidy_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop thebe and any script included twice on this page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    kept = []
    for script in scripts:
        if _is_thebe(script) or _key(script) in seen:
            continue
        seen.add(_key(script))
        kept.append(script)
    context["script_files"] = kept
    context["css_files"] = [c for c in context.get("css_files", []) if "thebe" not in str(getattr(c, "filename", c))]


def fix_bibliography_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Docutils marks bibliography entries with the deprecated ARIA role doc-biblioentry inside a role=list
    container; axe reports both (WCAG 4.1.2). A list of list items says the same thing to a screen reader."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", tidy_scripts, priority=900)
    app.connect("html-page-context", fix_bibliography_roles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
