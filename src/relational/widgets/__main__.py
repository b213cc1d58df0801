"""Open one of the course's apps in Voila, on this computer only: `python -m relational.widgets story_studio`.

It runs Voila with the course's template (Voila's lab template without its CDN stylesheets) and only the widget
extension, so the app loads nothing from another host.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from relational.paths import PROJECT_ROOT

APPS = ("story_studio", "now_builder", "one_to_one", "relationship_log", "quizzes")
# Only the widget extensions: other JupyterLab extensions installed beside the course (nbgrader's, the notebook
# app's) fail to start outside JupyterLab and log errors in the browser console.
EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")
TEMPLATE_ROOT = Path(__file__).resolve().parent / "voila_template"


def voila_command(app: str, port: int, open_browser: bool = False) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment that serve one app on localhost.

    Returns:
        (argv, env) ready for subprocess or os.execvpe.
    """
    notebook = PROJECT_ROOT / "apps" / f"{app}.ipynb"
    argv = [sys.executable, "-m", "voila", str(notebook), "--template=relational", f"--port={port}",
            "--Voila.ip=127.0.0.1", *(f"--VoilaConfiguration.extension_allowlist={name}" for name in EXTENSIONS),
            # Voila 0.5.13 never sets the _xsrf cookie, so the beacon its page sends on unload to shut the kernel
            # down is refused (403, a console error, and a kernel left running: voila-dashboards/voila#1458).
            # The server listens on 127.0.0.1 only, and that shutdown is the only POST it serves.
            "--Voila.tornado_settings=disable_check_xsrf=True"]
    if not open_browser:
        argv.append("--no-browser")
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")) if p)
    return argv, env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relational.widgets", description=__doc__.splitlines()[0])
    parser.add_argument("app", choices=APPS, help="which app to open")
    parser.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    parser.add_argument("--browser", action="store_true", help="also open it in your web browser")
    args = parser.parse_args(argv)
    command, env = voila_command(args.app, args.port, args.browser)
    os.execvpe(command[0], command, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
