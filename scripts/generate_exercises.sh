#!/usr/bin/env bash
# Regenerate the learners' notebooks in exercises/ from the model answers in solutions/, for every
# assignment. Run it after any edit to solutions/; tests/test_assignments.py fails until you do.
# nbgrader needs a gradebook to generate; we give it a throwaway one, so a real gradebook.db in the
# course folder (learners' marks) is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/nbgrader ]; then
  echo "nbgrader is not installed in .venv; run scripts/setup.sh first." >&2
  exit 1
fi
# nbgrader runs its database tool (alembic) by name, so the environment's bin folder must be on PATH.
export PATH="$PWD/.venv/bin:$PATH"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Start clean, so an assignment removed from solutions/ does not linger in exercises/.
find exercises -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

# "*" is every folder in solutions/; nbgrader also tries README.md and warns, which we hide.
nbgrader generate_assignment "*" --force --log-level=WARN \
  --CourseDirectory.root="$PWD" --CourseDirectory.db_url="sqlite:///$tmp/gradebook.db" \
  2> >(grep -v "No notebooks were matched by .*README.md" >&2)

echo "Generated exercises/ from solutions/: $(find exercises -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | wc -l) notebooks in $(find exercises -mindepth 1 -maxdepth 1 -type d | wc -l) assignments."
