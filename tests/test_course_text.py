"""The course text is our own: no run of words taken from the seed chapter outside a marked quotation."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, source_of, toc_files

SEED = ROOT.parent / "shared" / "seed" / "relational-revolution-chapter2.txt"
RUN = 10  # ten words in a row shared with the seed is copying, not coincidence


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def prose(page: str) -> str:
    """The page's prose with quotations (in quotation marks or blockquotes) removed."""
    path = source_of(page)
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    text = re.sub(r"[“\"][^”\"]{0,400}[”\"]", " ", text)
    text = re.sub(r"‘[^’]{0,400}’", " ", text)
    return text


@pytest.mark.skipif(not SEED.exists(), reason="the seed chapter lives in ../shared, beside the project")
def test_no_ten_word_run_copied_from_the_seed():
    seed = words(SEED.read_text(encoding="utf-8"))
    seed_runs = {" ".join(seed[i:i + RUN]) for i in range(len(seed) - RUN + 1)}
    copied = []
    for page in toc_files():
        w = words(prose(page))
        copied += [f"{page}: …{' '.join(w[i:i + RUN])}…" for i in range(len(w) - RUN + 1)
                   if " ".join(w[i:i + RUN]) in seed_runs]
    assert not copied, "runs of words copied from the seed chapter:\n" + "\n".join(copied[:20])
