"""Where the course's files live, resolved from the package so any working directory works."""

from __future__ import annotations

import os
from pathlib import Path

# src/relational/paths.py -> the project root is two folders above the package.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The course's data folder; RELATIONAL_DATA overrides it (for a facilitator's own copy)."""
    override = os.environ.get("RELATIONAL_DATA")
    path = Path(override) if override else PROJECT_ROOT / "data"
    if not path.is_dir():
        raise FileNotFoundError(
            f"The course data folder was not found at {path}. "
            "Install the course with 'pip install -e .' from its folder, or set RELATIONAL_DATA."
        )
    return path
