"""Coach feedback as accessible, escaped HTML (with a legend) or as plain text for the terminal.

No spaCy and no widgets here: this module only reads the Feedback dataclasses.
"""

from __future__ import annotations

import html
import re

from relational.coach.results import FAMILIES, Feedback, SentenceFeedback, ValueMention

# Pale highlights with near-black text: every pair is well above WCAG 2.2 AA (4.5:1); tests check it.
TEXT_COLOUR = "#1a1a1a"
FAMILY_COLOURS: dict[str, str] = {
    "self_direction": "#cfe8ff",
    "stimulation": "#ffd9b3",
    "hedonism": "#ffd6e7",
    "achievement": "#fff0a8",
    "power": "#e3d4f7",
    "security": "#d2f0d9",
    "conformity": "#e2e4e8",
    "tradition": "#f1e0c8",
    "benevolence": "#c9f1ec",
    "universalism": "#dde8b9",
}
FAMILY_LABELS: dict[str, str] = {
    "self_direction": "self-direction",
    "stimulation": "stimulation",
    "hedonism": "hedonism",
    "achievement": "achievement",
    "power": "power",
    "security": "security",
    "conformity": "conformity",
    "tradition": "tradition",
    "benevolence": "benevolence",
    "universalism": "universalism",
}
FAMILY_MEANINGS: dict[str, str] = {
    "self_direction": "choosing your own way, thinking for yourself",
    "stimulation": "courage, adventure and new challenges",
    "hedonism": "joy, pleasure and enjoying life",
    "achievement": "doing well and showing what you can do",
    "power": "status, control and a say over resources",
    "security": "safety, stability and belonging",
    "conformity": "duty, manners and keeping to the rules",
    "tradition": "faith, heritage and where you come from",
    "benevolence": "caring for the people close to you",
    "universalism": "fairness, dignity and justice for everyone",
}
MOVE_LABELS = {"challenge": "challenge", "choice": "choice", "outcome": "outcome"}

STYLESHEET = f"""
.rc-feedback {{ color: {TEXT_COLOUR}; background: #ffffff; font-size: 1rem; line-height: 1.6; }}
.rc-feedback .rc-heading {{ font-weight: 700; margin: 1em 0 0.4em; }}
.rc-feedback .rc-draft {{ white-space: pre-wrap; unicode-bidi: plaintext; border-left: 4px solid #505a64;
  padding: 0.5em 0.9em; background: #ffffff; }}
.rc-feedback mark.rc-mark {{ color: {TEXT_COLOUR}; padding: 0.05em 0.2em; border-radius: 0.2em;
  border-bottom: 2px solid #3b3b3b; }}
.rc-feedback .rc-tag {{ font-size: 0.75em; font-weight: 700; margin-left: 0.25em; white-space: nowrap; }}
.rc-feedback .rc-claim {{ text-decoration: underline dashed #6b2c00; text-underline-offset: 0.25em; }}
.rc-feedback .rc-ask {{ outline: 2px solid #0b5394; outline-offset: 1px; }}
.rc-feedback .rc-note {{ font-size: 0.75em; font-weight: 700; color: #6b2c00; white-space: nowrap; }}
.rc-feedback .rc-note-ask {{ color: #0b3d6e; }}
.rc-feedback ul.rc-legend {{ list-style: none; padding: 0; margin: 0.3em 0; display: flex; flex-wrap: wrap; gap: 0.3em 1em; }}
.rc-feedback .rc-swatch {{ color: {TEXT_COLOUR}; padding: 0 0.3em; border-radius: 0.2em; border-bottom: 2px solid #3b3b3b; font-weight: 700; }}
.rc-feedback table.rc-sentences {{ border-collapse: collapse; margin: 0.3em 0; }}
.rc-feedback table.rc-sentences caption {{ text-align: left; }}
.rc-feedback table.rc-sentences th, .rc-feedback table.rc-sentences td {{ border: 1px solid #767676; padding: 0.2em 0.5em;
  text-align: left; vertical-align: top; }}
.rc-feedback .rc-notice {{ border: 2px solid #8a4b00; padding: 0.4em 0.7em; background: #fff4e5; }}
""" + "".join(
    f".rc-feedback .rc-{family} {{ background-color: {colour}; }}\n" for family, colour in FAMILY_COLOURS.items()
)

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _esc(text: str) -> str:
    """HTML-escape learner text; control characters and lone surrogates become U+FFFD so the page stays valid."""
    return html.escape(_UNSAFE.sub("\ufffd", text), quote=True)


def _family(family: str) -> str:
    return FAMILY_LABELS.get(family, family.replace("_", "-"))


def _mark(text: str, value: ValueMention) -> str:
    family = value.family if value.family in FAMILY_COLOURS else "conformity"
    label = _family(value.family)
    title = f"Value: {label} (cue: {value.cue})"
    return (f'<mark class="rc-mark rc-{family}" title="{_esc(title)}">{_esc(text[value.start:value.end])}'
            f'<span class="rc-tag"> ({_esc(label)})</span></mark>')


def _marked(text: str, values: list[ValueMention], start: int, end: int) -> str:
    """The text between start and end, escaped, with its values marked."""
    out, pos = [], start
    for value in values:
        if value.start < pos or value.end > end:
            continue
        out.append(_esc(text[pos:value.start]))
        out.append(_mark(text, value))
        pos = value.end
    out.append(_esc(text[pos:end]))
    return "".join(out)


def _sentence_html(text: str, sentence: SentenceFeedback, values: list[ValueMention], in_ask: bool, ask_label: str) -> str:
    body = _marked(text, values, sentence.start, sentence.end)
    classes, notes = [], []
    if sentence.abstract_claim:
        classes.append("rc-claim")
        notes.append('<span class="rc-note" title="Names a value without a lived moment"> [abstract claim]</span>')
    if in_ask:
        classes.append("rc-ask")
        notes.append(f'<span class="rc-note rc-note-ask" title="The call to action"> [{_esc(ask_label)}]</span>')
    if not classes:
        return body
    return f'<span class="{" ".join(classes)}">{body}</span>{"".join(notes)}'


def _draft_html(feedback: Feedback) -> str:
    text = feedback.text
    values = sorted(feedback.values, key=lambda v: v.start)
    cta = feedback.call_to_action
    ask_label = "the ask: specific" if cta.specific else "the ask: not yet specific"
    out, pos = [], 0
    for sentence in feedback.sentences:
        if sentence.start < pos:
            continue
        out.append(_marked(text, values, pos, sentence.start))
        in_ask = bool(cta.present and cta.start is not None and cta.end is not None
                      and cta.start <= sentence.start and sentence.end <= cta.end)
        out.append(_sentence_html(text, sentence, values, in_ask, ask_label))
        pos = sentence.end
    out.append(_marked(text, values, pos, len(text)))
    return "".join(out)


def legend_html() -> str:
    """The legend of the ten value families (colour, name and meaning in words)."""
    items = "".join(
        f'<li><span class="rc-swatch rc-{f}">{_esc(_family(f))}</span> {_esc(FAMILY_MEANINGS[f])}</li>' for f in FAMILIES
    )
    return f'<ul class="rc-legend" aria-label="Value families">{items}</ul>'


def _sentences_table(feedback: Feedback) -> str:
    rows = []
    with_values = feedback.sentences_with_values()
    for i, s in enumerate(feedback.sentences, start=1):
        moves = ", ".join(MOVE_LABELS[m] for m in s.moves) or "none"
        emotions = ", ".join(e.replace("_", "-") for e in s.emotions) or "none"
        note = ""
        if s.abstract_claim:
            note = f"abstract claim: {'names a value' if with_values[i - 1] else 'states a belief'} without a moment"
        words = feedback.text[s.start:s.end].split()
        opening = " ".join(words[:6]) + ("\u2026" if len(words) > 6 else "")
        rows.append(f"<tr><td>{i}. {_esc(opening)}</td><td>{_esc(moves)}</td><td>{_esc(emotions)}</td>"
                    f"<td>{_esc(note)}</td></tr>")
    return ('<table class="rc-sentences"><caption class="rc-heading">Sentence by sentence</caption>'
            '<thead><tr><th scope="col">Sentence</th><th scope="col">Moves</th><th scope="col">Emotions</th>'
            f'<th scope="col">Note</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _cta_text(feedback: Feedback) -> str:
    cta = feedback.call_to_action
    if not cta.present or cta.start is None or cta.end is None:
        return "No call to action found."
    kind = "specific: it says what to do, and when or where" if cta.specific else "not yet specific"
    return f"Call to action, {kind}: \u201c{feedback.text[cta.start:cta.end]}\u201d"


def highlight(feedback: Feedback) -> str:
    """Feedback as a self-contained HTML fragment: the draft with values marked, a legend, sentences, the ask and prompts.

    Args:
        feedback: the coach's Feedback for a draft.

    Returns:
        An HTML string (its own scoped <style>, no scripts, no external URLs); learner text is escaped.
    """
    parts = [f'<div class="rc-feedback" lang="en"><style>{STYLESHEET}</style>']
    for notice in feedback.notices:
        parts.append(f'<p class="rc-notice" role="note">{_esc(notice.message)}</p>')
    if feedback.text.strip() and not any(n.code in ("too_long", "not_english") for n in feedback.notices):
        count = len(feedback.values)
        summary = f"{count} value word{'s' if count != 1 else ''} or phrase{'s' if count != 1 else ''} found."
        parts.append(f'<p class="rc-heading">Your draft, with values language marked</p><p>{summary}</p>')
        parts.append(f'<div class="rc-draft" dir="auto">{_draft_html(feedback)}</div>')
        parts.append('<p class="rc-heading">Value families</p>' + legend_html())
        if feedback.sentences:
            parts.append(_sentences_table(feedback))
        parts.append(f"<p>{_esc(_cta_text(feedback))}</p>")
    if feedback.prompts:
        items = "".join(f"<li>{_esc(p)}</li>" for p in feedback.prompts)
        parts.append(f'<p class="rc-heading">Questions from your coach</p><ol class="rc-prompts">{items}</ol>')
    parts.append("</div>")
    return "".join(parts)


to_html = highlight


def to_text(feedback: Feedback) -> str:
    """Feedback as plain text for a terminal: values with their families, sentences, the ask and prompts."""
    lines: list[str] = []
    text = feedback.text
    for notice in feedback.notices:
        lines.append(f"Note: {notice.message}")
    if feedback.text.strip() and not any(n.code in ("too_long", "not_english") for n in feedback.notices):
        lines.append(f"Values language ({len(feedback.values)}):")
        for v in feedback.values:
            lines.append(f"  \u201c{_plain(text[v.start:v.end])}\u201d  {_family(v.family)}  (cue: {v.cue}; characters {v.start}-{v.end})")
        if not feedback.values:
            lines.append("  none found")
        lines.append("Sentences:")
        for i, s in enumerate(feedback.sentences, start=1):
            snippet = _plain(text[s.start:s.end])
            snippet = snippet if len(snippet) <= 70 else snippet[:67] + "..."
            bits = [f"moves: {', '.join(s.moves) or 'none'}", f"emotions: {', '.join(e.replace('_', '-') for e in s.emotions) or 'none'}"]
            if s.abstract_claim:
                bits.append("abstract claim")
            lines.append(f"  {i}. {snippet}")
            lines.append(f"     {'; '.join(bits)}")
        lines.append(_plain(_cta_text(feedback)))
    if feedback.prompts:
        lines.append("Questions from your coach:")
        lines.extend(f"  {i}. {p}" for i, p in enumerate(feedback.prompts, start=1))
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    """One line of learner text for the terminal: control characters shown as U+FFFD, line breaks as spaces."""
    return _UNSAFE.sub("\ufffd", " ".join(text.split()))


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
