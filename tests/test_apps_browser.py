"""The five apps in Voila, in Debian's Chromium: they work, stay offline, are keyboard-usable and pass axe (WCAG 2.2 AA).

Each app's Voila server starts once for the module (on a free localhost port, with the learner's folder in a
temporary directory) and is stopped at the end. Screenshots at 1280 px and 390 px go to test-artifacts/.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from browser_support import ARTIFACTS, PageWatch, axe_violations, describe

pytestmark = pytest.mark.browser

APPS = ("story_studio", "now_builder", "one_to_one", "relationship_log", "quizzes")
DRAFT = ("When I was nine, the bailiffs came to our flat in Walsall. My mum stood up for our neighbours, "
         "and fairness mattered to her. The council sent a care package. I chose to speak up at the next "
         "tenants' meeting, and the repairs were done within a month.")
WIDTHS = {"desktop": 1280, "phone": 390}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Voila stopped with exit code {proc.returncode} before answering at {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"Voila did not answer at {url} within {timeout} s")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("learner")


@pytest.fixture(scope="module")
def servers(home):
    """One Voila server per app, started together, each in its own process group."""
    from relational.widgets.__main__ import voila_command

    procs, urls = {}, {}
    try:
        for app in APPS:
            port = _free_port()
            argv, env = voila_command(app, port)
            env["RELATIONAL_HOME"] = str(home)
            procs[app] = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
            urls[app] = f"http://127.0.0.1:{port}/"
        for app in APPS:
            _wait_until_up(urls[app], procs[app])
        yield urls
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def open_app(browser, url, width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".rl-app .jupyter-button", timeout=60_000)
    return context, page, watch


def screenshot(page, name: str) -> None:
    """The whole app: Voila scrolls inside the page, so the viewport is made as tall as the content first."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = page.evaluate("() => Math.ceil(document.querySelector('#rendered_cells').scrollHeight) + 40")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 600), 6000)})
    page.wait_for_timeout(150)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}-{width}.png"))
    page.set_viewport_size({"width": width, "height": 900})


def assert_clean(watch: PageWatch) -> None:
    assert not watch.foreign_requests, f"requests to other hosts: {watch.foreign_requests}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}; failed requests: {watch.failed_requests}"
    # On reload or close, Voila's page sends a beacon that shuts its kernel down; Chromium reports the beacon as
    # aborted because the page is gone (no status, no console error). Anything else that fails is a problem.
    failed = [url for url in watch.failed_requests if "/voila/api/shutdown/" not in url or url[:3].isdigit()]
    assert not failed, f"failed requests: {failed}"


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, "WCAG 2.2 AA violations:\n" + describe(violations)


def test_story_studio_feedback_save_and_reload(servers, browser):
    context, page, watch = open_app(browser, servers["story_studio"])
    draft = page.get_by_label("Your draft")
    draft.fill(DRAFT)
    # Feedback while typing: after a short pause, with no click.
    page.wait_for_selector("mark.rc-mark", timeout=20_000)
    page.get_by_role("button", name="Check my draft").click()
    page.wait_for_selector("text=Feedback updated for your draft")
    marks = page.locator("mark.rc-mark").all_inner_texts()
    assert any(m.startswith("stood up for") and "(universalism)" in m for m in marks), marks
    assert any(m.startswith("fairness") and "(universalism)" in m for m in marks), marks
    assert not any("care" in m.lower() for m in marks), f"the trap phrase was marked: {marks}"
    assert "care package" in page.locator(".rc-draft").inner_text()
    assert page.get_by_text("Challenge, choice, outcome").is_visible()
    assert page.locator(".rl-bars li").count() >= 1
    page.get_by_role("button", name="Save a version").click()
    page.wait_for_selector("text=as version 1")
    screenshot(page, "story_studio")
    assert_accessible(page)

    # A reload starts a new kernel: the saved draft is back in the editor.
    page.reload(wait_until="networkidle")
    page.wait_for_selector(".rl-app .jupyter-button", timeout=60_000)
    page.wait_for_selector("text=Welcome back", timeout=20_000)
    assert page.get_by_label("Your draft").input_value() == DRAFT
    context.close()
    assert_clean(watch)


def test_story_studio_keyboard_only(servers, browser):
    context, page, watch = open_app(browser, servers["story_studio"])
    page.get_by_label("Your draft").focus()
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const cs = getComputedStyle(e);
            return {tag: e.tagName, text: (e.innerText || e.value || '').trim(),
                    outline: cs.outlineStyle + ' ' + cs.outlineWidth, shadow: cs.boxShadow}; }""")
        reached.append(info)
        if info["text"] == "Save a version":
            break
    names = [r["text"] for r in reached if r["tag"] == "BUTTON"]
    assert names[:2] == ["Check my draft", "Save a version"], reached
    button = next(r for r in reached if r["text"] == "Check my draft")
    assert button["outline"].startswith("solid") and not button["outline"].endswith(" 0px"), button
    # Enter on the focused button works like a click.
    page.get_by_label("Your draft").fill("I stood up for my neighbour when nobody else would.")
    page.get_by_role("button", name="Check my draft").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Feedback updated for your draft")
    context.close()
    assert_clean(watch)


def test_one_to_one_timer_advances_stages(servers, browser):
    context, page, watch = open_app(browser, servers["one_to_one"])
    assert page.get_by_text("Stage 1 of 5: Attention").is_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector("text=The timer is running")
    page.get_by_role("button", name="Next stage").click()
    page.wait_for_selector("text=Stage 2 of 5: Purpose")
    # The clock ticks by itself in the kernel.
    before = page.locator("text=Time left in this stage").inner_text()
    page.wait_for_function("(b) => !document.body.innerText.includes(b)", arg=before, timeout=5_000)
    page.get_by_role("button", name="Next stage").click()
    page.wait_for_selector("text=Stage 3 of 5: Exploration")
    page.get_by_role("button", name="Pause").click()
    page.wait_for_selector("text=The timer is paused")
    assert_accessible(page)
    screenshot(page, "one_to_one")
    context.close()
    assert_clean(watch)


def test_quiz_answer_shows_its_explanation(servers, browser):
    context, page, watch = open_app(browser, servers["quizzes"])
    page.get_by_label("Choose a part of the course").select_option(label="Public narrative")
    page.wait_for_selector("text=Self-check: Public narrative")
    page.get_by_label("My mum rang the landlord eleven times, then sat on the stairs and cried.").check()
    page.get_by_role("button", name="Check my answer to question 3").click()
    page.wait_for_selector("text=Correct. Yes. This is a moment we can picture")
    page.get_by_role("button", name="Check my answer to question 1").click()
    page.wait_for_selector("text=Choose something for every step first")
    assert_accessible(page)
    screenshot(page, "quizzes")
    context.close()
    assert_clean(watch)


def test_now_builder_points_out_a_vague_ask(servers, browser):
    context, page, watch = open_app(browser, servers["now_builder"])
    page.get_by_label("1. The urgent challenge").fill("This winter, forty families on the estate have black mould.")
    page.get_by_label("3b. What do you want them to do?").fill("get involved")
    page.get_by_label("3c. When?").fill("soon")
    page.get_by_role("button", name="Put my story of now together").click()
    page.wait_for_selector("text=Your ask is still vague", timeout=20_000)
    assert page.get_by_text("is not a time people can put in a diary").is_visible()
    assert_accessible(page)
    screenshot(page, "now_builder")
    context.close()
    assert_clean(watch)


def test_relationship_log_shows_a_saved_reflection(servers, browser, home):
    from relational.widgets.log import Reflection, RelationshipLog

    RelationshipLog(home).add(Reflection(person="JB", date="2026-01-10", commitment="Meet again on 1 February",
                                         follow_up="2026-02-01"))
    context, page, watch = open_app(browser, servers["relationship_log"])
    page.wait_for_selector("text=1 one-to-one with 1 person")
    assert page.locator("img[alt^='Bar chart by month']").count() == 1
    page.get_by_role("button", name="Mark as kept").click()
    page.wait_for_selector("text=Marked as kept")
    assert_accessible(page)
    screenshot(page, "relationship_log")
    context.close()
    assert_clean(watch)


@pytest.mark.parametrize("app", APPS)
def test_each_app_at_phone_width(servers, browser, app):
    context, page, watch = open_app(browser, servers[app], width=WIDTHS["phone"])
    overflow = page.evaluate("() => document.querySelector('.rl-app').scrollWidth - document.querySelector('.rl-app').clientWidth")
    assert overflow <= 1, f"{app} is wider than a phone screen by {overflow} px"
    assert_accessible(page)
    screenshot(page, app)
    context.close()
    assert_clean(watch)
