"""Shared fixtures: where the project and the built book are."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from browser_support import CHROMIUM_ARGS, chromium_path, serve

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def toc_files() -> list[str]:
    """Every page named in _toc.yml, in reading order, without extension."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(section["file"] for section in chapter.get("sections", []))
    return files


def source_of(page: str) -> Path:
    """The source file of a toc entry (.md or .ipynb)."""
    for ext in (".md", ".ipynb"):
        path = ROOT / f"{page}{ext}"
        if path.exists():
            return path
    raise FileNotFoundError(f"{page} is in _toc.yml but has no .md or .ipynb source")


@pytest.fixture(scope="session")
def built_html() -> Path:
    """The built book; the README's test command builds it first."""
    if not (HTML / "index.html").exists():
        pytest.fail("The book is not built: run scripts/setup.sh (Quick start line 1) first.")
    return HTML


# The two browser fixtures below are shared by the light-mode (test_browser_pages.py) and dark-mode
# (test_browser_dark_mode.py) page tests. Each module gets its own server and browser.
@pytest.fixture(scope="module")
def site(built_html):
    """The built book served on localhost; yields the base URL."""
    with serve(built_html) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, launched through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()
