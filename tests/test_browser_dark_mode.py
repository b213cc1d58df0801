"""Dark mode in a real browser: representative pages really turn dark and have no WCAG 2.2 AA violation.

pydata-sphinx-theme (0.15+) keeps the reader's choice in localStorage: "mode" (light, dark or auto) and "theme"
(the resolved light or dark). An inline script at the top of every page copies them onto <html data-mode
data-theme> before the stylesheets apply, and the theme's JS re-applies them on DOMContentLoaded. The tests
store "dark" the same way before the page loads; one test checks that clicking the theme switcher stores
exactly that, and the controls check that the "is it dark?" check and axe are not blind.
"""

from __future__ import annotations

import pytest

from browser_support import assert_page_clean, axe_violations, describe, open_book_page

pytestmark = pytest.mark.browser

# One of each kind of page: the landing page, a markdown chapter with admonitions, a table and an exercise,
# a notebook with code output and the coach's highlighted feedback, the saved-widget self-check, glossary,
# bibliography.
DARK_PAGES = [
    "book/index",
    "book/narrative/head_heart_hands",
    "book/narrative/story_of_self",
    "book/narrative/self_check",
    "book/glossary",
    "book/bibliography",
]

# What the theme itself writes to localStorage when the reader picks dark (see the switcher test).
STORE_DARK = "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"

# Relative luminance (WCAG) of the body's computed background, and the attributes the theme sets.
THEME_STATE = """() => {
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const bg = getComputedStyle(document.body).backgroundColor;
  const [r, g, b, a = 1] = bg.match(/[\\d.]+/g).map(Number);
  return {
    theme: document.documentElement.dataset.theme,
    mode: document.documentElement.dataset.mode,
    background: bg,
    alpha: a,
    luminance: 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b),
  };
}"""


def theme_state(page) -> dict:
    return page.evaluate(THEME_STATE)


def assert_dark(page) -> None:
    """The page is really dark: the theme says so and the body is painted a dark, opaque colour."""
    state = theme_state(page)
    assert state["theme"] == "dark", f"data-theme is {state['theme']!r}, not 'dark': {state}"
    assert state["alpha"] == 1, f"the body background is not opaque, so its colour proves nothing: {state}"
    # Black is 0, white is 1; the book theme's dark background (#121212) is about 0.006.
    assert state["luminance"] < 0.05, f"the body background is not dark: {state}"


def open_page(browser, site, page_name: str, dark: bool = True):
    """A fresh context (so no stored choice leaks between tests), the page loaded, its saved widgets rendered."""
    return open_book_page(browser, site, page_name, STORE_DARK if dark else None)


@pytest.mark.parametrize("page_name", DARK_PAGES)
def test_page_is_dark_and_accessible(page_name, site, browser):
    context, page, watch = open_page(browser, site, page_name)
    try:
        assert_dark(page)
        # Open every <details> (the self-check's answers and explanations) so that axe checks them too.
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        violations = axe_violations(page)
        assert_dark(page)  # still dark after axe ran: the theme's JS did not switch back
    finally:
        context.close()
    assert_page_clean(watch, violations, "WCAG 2.2 AA violations in dark mode")


def test_pages_have_what_they_stand_for(site, browser):
    """The representative pages still contain what they were picked for (else the coverage is hollow)."""
    wanted = {
        "book/narrative/head_heart_hands": [".admonition .admonition-title", "table", "a.reference"],
        "book/narrative/story_of_self": [".cell_output", "mark.rc-mark", "div.highlight pre"],
        "book/narrative/self_check": [".jupyter-widgets"],
        "book/glossary": ["dl.glossary"],
        "book/bibliography": [".citation, .footnote-list, [role='doc-biblioentry'], dl.citation"],
    }
    context = browser.new_context()
    page = context.new_page()
    try:
        for page_name, selectors in wanted.items():
            page.goto(f"{site}/{page_name}.html", wait_until="networkidle")
            for selector in selectors:
                if selector == ".jupyter-widgets":
                    page.wait_for_selector(selector, timeout=10_000)
                assert page.locator(selector).count() > 0, f"{page_name} has no {selector}"
    finally:
        context.close()


def test_control_light_page_fails_the_dark_check(site, browser):
    """Control: without the stored choice the same page is light, and assert_dark says so."""
    context, page, _ = open_page(browser, site, "book/index", dark=False)
    try:
        state = theme_state(page)
        assert state["theme"] == "light"
        assert state["luminance"] > 0.5, state
        with pytest.raises(AssertionError):
            assert_dark(page)
    finally:
        context.close()


def test_theme_switcher_stores_what_the_tests_store(site, browser):
    """Clicking the theme's own switcher to dark stores mode/theme = dark, and a reload stays dark."""
    context, page, watch = open_page(browser, site, "book/index", dark=False)
    try:
        button = page.locator(".theme-switch-button").first
        for _ in range(3):  # light -> auto -> dark (or light -> dark when the system prefers dark)
            if page.evaluate("document.documentElement.dataset.mode") == "dark":
                break
            button.click()
        stored = page.evaluate("() => [localStorage.getItem('mode'), localStorage.getItem('theme')]")
        assert stored == ["dark", "dark"]
        assert_dark(page)
        page.reload(wait_until="networkidle")
        assert_dark(page)
    finally:
        context.close()
    assert not watch.console_errors, f"console errors: {watch.console_errors}"


def test_control_axe_sees_dark_colours(site, browser):
    """Control: axe checks contrast against the dark background, so text that is fine on white fails here."""
    context, page, _ = open_page(browser, site, "book/index")
    try:
        assert_dark(page)
        # Near-black text with no background of its own: about 11:1 on white, about 1.1:1 on the dark page.
        page.evaluate("""() => {
          const p = document.createElement('p');
          p.id = 'dark-control';
          p.style.color = '#333333';
          p.textContent = 'Contrast control text that only passes on a light background.';
          document.querySelector('main').prepend(p);
        }""")
        violations = axe_violations(page)
    finally:
        context.close()
    contrast = [v for v in violations if v["id"] == "color-contrast"]
    assert contrast, "axe found no contrast problem in dark text on the dark page"
    assert any("#dark-control" in n["target"] for n in contrast[0]["nodes"]), describe(contrast)
