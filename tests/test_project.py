"""The project's promises about itself: the two-line Quick start, CI running it, pinned requirements."""

from __future__ import annotations

import os
import re

from conftest import ROOT


def quick_start_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_that_exist():
    lines = quick_start_lines()
    assert len(lines) == 2, lines
    for line in lines:
        script = ROOT / line.split()[0]
        assert script.is_file() and os.access(script, os.X_OK), f"{line}: not an executable script"


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert quick_start_lines()[1] in commands


def test_requirements_pin_every_package_and_install_the_course():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-1] == "-e ."
    unpinned = [line for line in lines[:-1] if "==" not in line]
    assert not unpinned, unpinned
    names = {line.split("==")[0].lower() for line in lines[:-1]}
    for needed in ("jupyter-book", "ipywidgets", "nbgrader", "spacy", "spacy-lookups-data", "pandas", "pytest",
                   "nbval", "playwright"):
        assert needed in names, needed
    assert any(line == "jupyter-book==1.0.4.post1" for line in lines), "Jupyter Book must stay on 1.x"


def test_data_folder_documents_every_file():
    """Each data file is described in data/README.md or in the README.md of its own folder."""
    data = ROOT / "data"
    top = (data / "README.md").read_text(encoding="utf-8")
    undocumented = []
    for path in data.rglob("*"):
        if not path.is_file() or path.name == "README.md" or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(data).as_posix()
        local = path.parent / "README.md"
        local_text = local.read_text(encoding="utf-8") if local.exists() and path.parent != data else ""
        if rel not in top and path.name not in local_text:
            undocumented.append(rel)
    assert not undocumented, f"data files described nowhere: {undocumented}"
