"""Writing files so that nothing is ever half-saved: the one atomic writer the widgets, workshop and grading share."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8", private: bool = False) -> None:
    """Write text to path so that readers see the old file or the new one, never half of one.

    Args:
        path: the file to write; its folder is made if missing.
        text: the whole new content.
        encoding: "utf-8", or "utf-8-sig" for CSV files that Excel should read correctly.
        private: a new file is readable by its owner only (learners' drafts and names); otherwise it gets the
            usual permissions. An existing file always keeps its own.

    Raises:
        OSError: when the folder cannot be written; the caller says clearly that the save failed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    elif private:
        mode = 0o600
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes every file private; keep the mode chosen above
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
