"""Readability of each built page: Flesch reading ease of the prose (aim: 60 or more), with word counts.

Run after building the book:  .venv/bin/python benchmarks/readability.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import textstat
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
TARGET = 60.0


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def prose_of(page: str) -> str:
    """The article's running prose: no code, no coach output, no bibliography entries, no tables of figures."""
    doc = BeautifulSoup((HTML / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    article = doc.select_one("article") or doc.body
    for el in article.select("pre, code, .cell_output, .output, .citation, .docutils.container, "
                             "script, style, .headerlink, .relational-feedback"):
        el.decompose()
    # One block of text per paragraph-like element, so sentences do not run together across headings.
    # Only innermost blocks: a list item that wraps a paragraph is counted once, through its paragraph.
    kinds = ["p", "li", "h1", "h2", "h3", "dd", "dt", "td", "th"]
    blocks = [el.get_text(" ", strip=True) for el in article.find_all(kinds) if not el.find(kinds)]
    return "\n".join(b if b.endswith((".", "?", "!", ":")) else b + "." for b in blocks if b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable figures")
    args = parser.parse_args()
    if not (HTML / "index.html").exists():
        print("Build the book first: scripts/setup.sh", file=sys.stderr)
        return 1
    rows = []
    for page in toc_pages():
        text = prose_of(page)
        rows.append({"page": page, "words": textstat.lexicon_count(text),
                     "flesch": round(textstat.flesch_reading_ease(text), 1),
                     "words_per_sentence": round(textstat.avg_sentence_length(text), 1)})
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'page':55} {'words':>6} {'flesch':>7} {'w/sent':>7}")
    for r in rows:
        flag = "" if r["flesch"] >= TARGET else "  below target"
        print(f"{r['page']:55} {r['words']:6d} {r['flesch']:7.1f} {r['words_per_sentence']:7.1f}{flag}")
    total = sum(r["words"] for r in rows)
    mean = sum(r["flesch"] * r["words"] for r in rows) / total
    print(f"\n{len(rows)} pages, {total} words of prose; word-weighted mean Flesch {mean:.1f}; "
          f"lowest {min(r['flesch'] for r in rows):.1f}; {sum(r['flesch'] >= TARGET for r in rows)}/{len(rows)} "
          f"pages at or above {TARGET:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
