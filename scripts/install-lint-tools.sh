#!/usr/bin/env bash
# Installs the pinned checkers the build runs over Wingu's own documents, from npm, into one folder:
# Redocly CLI (lints the OpenAPI document) and vnu-jar (the W3C Nu HTML Checker's standalone jar,
# run with the build's JDK over the console's public pages and every template's pages).
# Idempotent: prints the folder (tests find node_modules/.bin/redocly and
# node_modules/vnu-jar/build/dist/vnu.jar under it) and does nothing more when present.
set -euo pipefail
REDOCLY=2.77.0
VNU=26.9.27
DIR="${WINGU_CACHE:-$HOME/.cache/wingu}/lint-tools-redocly-$REDOCLY-vnu-$VNU"
if [ ! -x "$DIR/node_modules/.bin/redocly" ] || [ ! -f "$DIR/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  if ! command -v npm >/dev/null; then
    echo "install-lint-tools: npm is missing (Debian: apt-get install -y npm)" >&2
    exit 1
  fi
  echo "install-lint-tools: installing @redocly/cli $REDOCLY and vnu-jar $VNU into $DIR" >&2
  mkdir -p "$DIR"
  # --ignore-scripts: neither package needs an install script; nothing runs at install time
  npm install --prefix "$DIR" --no-audit --no-fund --ignore-scripts --silent \
    "@redocly/cli@$REDOCLY" "vnu-jar@$VNU" >&2
fi
echo "$DIR"
