#!/usr/bin/env bash
# Refresh the vendored NHS.UK frontend assets from the npm registry.
# Usage: scripts/refresh-nhsuk-frontend.sh [VERSION]
# Keep VERSION in step with what nhsuk-frontend-jinja matches (see pyproject.toml).
#
# The CSS is changed in two ways so that pages make no external request:
#  - @font-face rules that load Frutiger from assets.nhs.uk are removed
#    (text falls back to Arial, as the NHS.UK service manual allows);
#  - absolute /assets/ paths point at our static folder.
set -euo pipefail
VERSION="${1:-10.6.1}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/crm/static/nhsuk"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "nhsuk-frontend@$VERSION" >/dev/null && tar xzf "nhsuk-frontend-$VERSION.tgz")
SRC="$WORK/package/dist/nhsuk"

rm -rf "$DEST"
mkdir -p "$DEST/assets"
cp -R "$SRC/assets/images" "$DEST/assets/images"
cp "$SRC/assets/manifest.json" "$DEST/assets/manifest.json"
cp "$SRC/nhsuk-frontend.min.js" "$DEST/nhsuk-frontend.min.js"
python3 - "$SRC/nhsuk-frontend.min.css" "$DEST/nhsuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{[^}]*https?://[^}]*\}", "", css)
css = css.replace("url(/assets/", "url(/static/nhsuk/assets/")
assert "http://" not in css and "https://" not in css.replace("https://github.com", ""), "external URL left in CSS"
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
sed -i 's|//# sourceMappingURL=.*||' "$DEST/nhsuk-frontend.min.js"
echo "$VERSION" > "$DEST/VERSION"
echo "Vendored nhsuk-frontend $VERSION into $DEST"
