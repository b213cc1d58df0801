"""Real-browser helpers: Debian's Chromium driven by Playwright, pages served on localhost, axe-core injected."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# WCAG 2.2 AA and everything below it.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Flags the machine needs: without the background-networking ones Chromium calls home at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: run scripts/test.sh (it installs Debian's chromium as root), "
                           "or 'sudo apt install chromium chromium-driver'.")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@contextmanager
def serve(folder: Path):
    """Serve a folder on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


class PageWatch:
    """Collects console errors, page errors and requests to other hosts while a page is used."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", lambda r: None if is_local(r.url) else self.foreign_requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed_requests.append(r.url))
        page.on("response", lambda r: self.failed_requests.append(f"{r.status} {r.url}") if r.status >= 400 else None)


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page for WCAG 2.2 AA; returns the violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return result["violations"]


def open_book_page(browser, site: str, page_name: str, init_script: str | None = None):
    """A fresh 1280 px context (so nothing stored leaks between tests), the book page loaded, and its saved widget
    state rendered from the vendored manager (never an empty box). Returns (context, page, watch)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    watch = PageWatch(page)
    response = page.goto(f"{site}/{page_name}.html", wait_until="networkidle")
    assert response and response.ok
    if "application/vnd.jupyter.widget-state+json" in page.content():
        page.wait_for_selector(".jupyter-widgets", timeout=10_000)
        assert page.locator(".jupyter-widgets").count() > 0
    return context, page, watch


def assert_page_clean(watch: PageWatch, violations: list[dict], what: str = "WCAG 2.2 AA violations") -> None:
    """No request to another host, no console error, no failed request and no axe violation on a page."""
    assert not watch.foreign_requests, f"requests to other hosts: {watch.foreign_requests}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}"
    assert not watch.failed_requests, f"failed requests: {watch.failed_requests}"
    assert not violations, f"{what}:\n" + describe(violations)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)
