#!/usr/bin/env bash
# Installs the pinned schemathesis (from PyPI) into its own virtualenv for the contract test.
# Idempotent: prints the path of the schemathesis command and does nothing more when present.
set -euo pipefail
VERSION=4.32.5
VENV="${WINGU_CACHE:-$HOME/.cache/wingu}/schemathesis-$VERSION"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "install-schemathesis: installing schemathesis $VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/schemathesis"
