"""The built book: the right pages, nothing unpublished, nothing from other hosts, no broken links."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import HTML, ROOT, toc_files

# Pages Sphinx itself adds to every build.
SPHINX_PAGES = {"genindex.html", "search.html", "py-modindex.html"}


def built_pages() -> list[Path]:
    """Every HTML page of the build except Sphinx's own and the copied static folders."""
    return sorted(
        p for p in HTML.rglob("*.html")
        if not any(part.startswith("_") for part in p.relative_to(HTML).parts) and p.name not in SPHINX_PAGES
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_pages_built_are_exactly_the_toc(built_html):
    expected = {f"{page}.html" for page in toc_files()}
    # Jupyter Book writes a top-level index.html that only redirects to the root page.
    redirect = (built_html / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Refresh"' in redirect and "book/index.html" in redirect
    built = {p.relative_to(built_html).as_posix() for p in built_pages()} - {"index.html"}
    assert built == expected, f"missing: {sorted(expected - built)}; not in _toc.yml: {sorted(built - expected)}"


def test_course_has_five_parts_and_enough_pages():
    pages = [p for p in toc_files() if p not in ("book/index", "book/glossary", "book/bibliography")]
    assert len(pages) >= 18
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert len(re.findall(r'caption: "Part \d', toc)) == 5


def test_solutions_and_exercises_are_never_published(built_html):
    published = [p.relative_to(built_html).as_posix() for p in built_html.rglob("*")]
    leaked = [p for p in published if re.search(r"(^|/)(solutions|exercises|data)(/|$)", p)]
    assert not leaked, f"unpublished folders leaked into the build: {leaked[:5]}"
    for page in built_pages():
        for a in soup(page).find_all("a", href=True):
            assert "solutions/" not in a["href"], f"{page.name} links to {a['href']}"


EXTERNAL = re.compile(r"^(https?:)?//", re.I)


def test_no_script_style_or_font_from_another_host(built_html):
    problems = []
    for page in built_pages():
        doc = soup(page)
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src")):
            for el in doc.find_all(tag):
                url = el.get(attr)
                if not url:
                    continue
                if tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload", "prefetch"} & set(
                        el.get("rel", [])):
                    continue
                if EXTERNAL.match(url):
                    problems.append(f"{page.name}: <{tag} {attr}={url}>")
        for style in doc.find_all("style"):
            problems += [f"{page.name}: inline style {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", style.text)]
    for css in built_html.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        problems += [f"{css.name}: {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text)]
        problems += [f"{css.name}: @import {u}" for u in re.findall(r"@import\s+(?:url\()?['\"]?((?:https?:)?//[^)'\";]+)", text)]
    assert not problems, "assets from another host:\n" + "\n".join(problems[:20])


def test_widget_javascript_is_vendored_not_from_a_cdn():
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "nb_ipywidgets_js" in config and "cdn.jsdelivr" not in config and "cdnjs" not in config
    vendored = ROOT / "book" / "_vendor_static" / "vendor"
    assert (vendored / "require.js").stat().st_size > 10_000
    assert (vendored / "widgets" / "embed-amd.js").stat().st_size > 100_000
    assert "requirejs" in (vendored / "VERSIONS.md").read_text(encoding="utf-8")


def test_every_internal_link_resolves(built_html):
    broken = []
    ids: dict[Path, set[str]] = {}
    for page in built_pages() + [built_html / "genindex.html"]:
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_html)} -> {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in soup(target).find_all(id=True)}
                if parts.fragment not in ids[target]:
                    broken.append(f"{page.relative_to(built_html)} -> {href} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken[:30])


@pytest.mark.parametrize("page", toc_files())
def test_page_says_what_it_is_for_and_how_long_it_takes(page, built_html):
    text = soup(built_html / f"{page}.html").get_text(" ", strip=True)
    assert "What it is for:" in text
    assert "By the end you will be able to:" in text
    assert re.search(r"Time: about \d+ minutes", text), "no time estimate"


CONTENT = [p for p in toc_files() if p not in ("book/glossary", "book/bibliography")]


@pytest.mark.parametrize("page", CONTENT)
def test_page_has_example_exercise_and_sources(page, built_html):
    html = (built_html / f"{page}.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(html, "html.parser")
    text = doc.get_text(" ", strip=True)
    if page != "book/index":
        assert re.search(r"Worked example|Example", text), "no worked example"
    assert doc.select(".exercise") or "Reflect" in text or "Try it" in text, "no closing exercise"
    assert doc.select('a[href*="bibliography.html#id"]'), "cites no source"


def test_a_learners_route_takes_about_eight_hours(built_html):
    """The learner's pages (not the facilitators' guides or the reference pages) add up to about 8 hours."""
    minutes = 0
    for page in toc_files():
        if page.startswith("book/facilitators/") or page in ("book/glossary", "book/bibliography"):
            continue
        text = soup(built_html / f"{page}.html").get_text(" ", strip=True)
        minutes += int(re.search(r"Time: about (\d+) minutes", text).group(1))
    assert 420 <= minutes <= 540, f"the learner's pages add up to {minutes} minutes"
