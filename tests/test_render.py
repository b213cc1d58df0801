"""Rendering coach feedback: escaped, accessible, self-contained HTML and plain text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from relational import render
from relational.coach import FAMILIES, analyse

SRC = Path(__file__).resolve().parents[1] / "src"
DRAFT = ("When I was nine my mum was kind to a neighbour everyone ignored. Fairness is important to me. "
         "Will you come to the town hall on Thursday at 7pm?")


def test_render_imports_no_spacy_and_no_widgets():
    code = "import sys, relational.render; print('spacy' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)})
    assert out.stdout.strip() == "False False", out.stderr


def test_learner_html_is_shown_as_text():
    text = '<script>alert("x")</script> <img src=x onerror=alert(1)> I stood up for "fairness" & <b>dignity</b>.'
    html = render.highlight(analyse(text))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp;" in html


def test_each_mark_names_its_family_in_text_and_on_hover():
    feedback = analyse(DRAFT)
    html = render.highlight(feedback)
    marks = re.findall(r'<mark class="rc-mark rc-([a-z_]+)" title="([^"]+)">(.*?)</mark>', html)
    assert len(marks) == len(feedback.values) >= 2
    for (family, title, inner), value in zip(marks, feedback.values):
        label = render.FAMILY_LABELS[value.family]
        assert family == value.family
        assert title.startswith(f"Value: {label}") and value.cue in title
        assert f'<span class="rc-tag"> ({label})</span>' in inner


def test_legend_lists_all_ten_families_in_words():
    html = render.highlight(analyse(DRAFT))
    legend = re.search(r'<ul class="rc-legend".*?</ul>', html).group(0)
    for family in FAMILIES:
        assert f'rc-swatch rc-{family}">{render.FAMILY_LABELS[family]}</span>' in legend


def test_abstract_claims_and_the_ask_are_labelled_in_text():
    html = render.highlight(analyse(DRAFT, "now"))
    assert "[abstract claim]" in html and "[the ask: specific]" in html


@pytest.mark.parametrize("family", FAMILIES)
def test_highlight_colours_meet_wcag_aa(family):
    assert render.contrast_ratio(render.TEXT_COLOUR, render.FAMILY_COLOURS[family]) >= 4.5


def test_other_text_colours_meet_wcag_aa():
    for colour in re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", render.STYLESHEET):
        assert render.contrast_ratio(colour, "#ffffff") >= 4.5, colour
    assert render.contrast_ratio("#6b2c00", "#ffffff") >= 4.5
    assert render.contrast_ratio(render.TEXT_COLOUR, "#fff4e5") >= 4.5


def test_html_is_a_self_contained_fragment_with_scoped_style():
    html = render.highlight(analyse(DRAFT, "now"))
    assert html.startswith('<div class="rc-feedback" lang="en"><style>') and html.endswith("</div>")
    for bad in ("http://", "https://", "url(", "@import", "<script", "<link", "src="):
        assert bad not in html
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", style) for s in block.split(",")]
    assert selectors and all(s.startswith(".rc-feedback") for s in selectors)


def test_control_characters_and_right_to_left_text_render_safely():
    html = render.highlight(analyse("I was kind\x00 to Mrs Haddad (السيدة حداد)\x1b."))
    assert "\x00" not in html and "\x1b" not in html and "\ufffd" in html
    assert 'dir="auto"' in html and "السيدة حداد" in html


def test_empty_and_notice_feedback_render():
    empty = render.highlight(analyse(""))
    assert "Questions from your coach" in empty and "<mark" not in empty
    foreign = render.highlight(analyse("Je me suis battue pour la justice et la dignité de mes voisins."))
    assert 'role="note"' in foreign and "not English" in foreign
    assert "not English" in render.to_text(analyse("Je me suis battue pour la justice et la dignité de mes voisins."))


def test_plain_text_lists_values_sentences_the_ask_and_prompts():
    feedback = analyse(DRAFT, "now")
    text = render.to_text(feedback)
    assert "\u201ckind\u201d  benevolence" in text
    assert "abstract claim" in text and "Call to action, specific" in text
    assert "Questions from your coach:" in text
    assert all(p in text for p in feedback.prompts)
    assert "\x00" not in render.to_text(analyse("I was kind\x00."))


def test_show_feedback_for_book_pages():
    from IPython.display import HTML

    from relational.book import show_feedback

    shown = show_feedback("I stood up for my neighbour <em>every</em> day.", kind="self")
    assert isinstance(shown, HTML)
    assert "rc-feedback" in shown.data and "&lt;em&gt;" in shown.data


def test_the_sentence_table_says_whether_an_abstract_claim_names_a_value_or_states_a_belief():
    html = render.highlight(analyse("Fairness is important to me. It is important that we all work together."))
    assert "abstract claim: names a value without a moment" in html
    assert "abstract claim: states a belief without a moment" in html
