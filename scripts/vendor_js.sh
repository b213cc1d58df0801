#!/usr/bin/env bash
# Refresh the pinned JavaScript the built book serves itself, so widget pages work offline:
#   @jupyter-widgets/html-manager (renders saved widget state) and requirejs (its module loader).
# Needs npm. Bump the versions here, run it, rebuild the book, and commit the result with a note of why.
set -euo pipefail
cd "$(dirname "$0")/.."
HTML_MANAGER_VERSION=1.0.15
REQUIREJS_VERSION=2.3.8
dest=book/_vendor_static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@jupyter-widgets/html-manager@${HTML_MANAGER_VERSION}" "requirejs@${REQUIREJS_VERSION}" >/dev/null)
mkdir -p "$tmp/hm" "$tmp/rq"
tar xzf "$tmp"/jupyter-widgets-html-manager-*.tgz -C "$tmp/hm"
tar xzf "$tmp"/requirejs-*.tgz -C "$tmp/rq"
rm -rf "$dest"
mkdir -p "$dest/widgets"
# embed-amd.js finds its fonts next to itself (webpack's public path is the script's own folder).
cp "$tmp/hm/package/dist/embed-amd.js" "$dest/widgets/"
find "$tmp/hm/package/dist" -maxdepth 1 -type f \( -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) -exec cp {} "$dest/widgets/" \;
cp "$tmp/hm/package/dist/embed.js.LICENSE.txt" "$dest/widgets/THIRD-PARTY-LICENSES.txt"
cp "$tmp/rq/package/require.js" "$dest/require.js"
cat > "$dest/VERSIONS.md" <<NOTE
# Vendored JavaScript (refreshed by scripts/vendor_js.sh; do not edit by hand)

| package | version | licence | files |
|---|---|---|---|
| @jupyter-widgets/html-manager | ${HTML_MANAGER_VERSION} | BSD-3-Clause (bundled third-party licences in widgets/THIRD-PARTY-LICENSES.txt; the icon fonts are Font Awesome Free: SIL OFL 1.1 fonts, MIT code) | widgets/embed-amd.js and its fonts |
| requirejs | ${REQUIREJS_VERSION} | MIT | require.js |

They are loaded only on pages that show saved widget state, through myst-nb's nb_ipywidgets_js setting in _config.yml.
They live outside the book's _static folder on purpose: Jupyter Book 1 adds every .js file in _static to every page.
NOTE
echo "Vendored html-manager ${HTML_MANAGER_VERSION} and requirejs ${REQUIREJS_VERSION} into $dest"
