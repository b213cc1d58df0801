"""Every built page in a real browser: no console error, no request to another host, no WCAG 2.2 AA violation."""

from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, PageWatch, assert_page_clean, axe_violations, open_book_page
from conftest import toc_files

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_name", toc_files())
def test_page_loads_offline_cleanly_and_accessibly(page_name, site, browser):
    context, page, watch = open_book_page(browser, site, page_name)
    violations = axe_violations(page)
    if page_name == "book/index":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "book-index-desktop.png"), full_page=False)
    context.close()
    assert_page_clean(watch, violations)


def test_watch_catches_a_request_to_another_host(site, browser):
    """The watch is not blind: a page that asks another host is caught."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    page.route("**/*", lambda route: route.abort() if "example.invalid" in route.request.url else route.continue_())
    page.goto(f"{site}/book/index.html")
    page.evaluate("() => { const s = document.createElement('script'); s.src = 'https://example.invalid/x.js';"
                  " document.head.appendChild(s); }")
    page.wait_for_timeout(300)
    context.close()
    assert any("example.invalid" in url for url in watch.foreign_requests)
