#!/usr/bin/env bash
# Builds the base image of Wingu's container images from this machine alone (no image registry):
#   layer 1  Debian's glibc (the libraries the Java runtime links), CA certificates, /etc/passwd
#            with the numeric non-root user 65532, /etc/nsswitch.conf, /tmp (1777)
#   layer 2  /opt/java: a jlinked Java runtime of the JDK given (the modules listed below)
# and writes it as a docker-archive tar (docker save's format), which Jib reads as
# <from><image>tar:///path</image></from>.
#
# usage: scripts/base-image.sh OUTPUT.tar [JDK_HOME]      (JDK_HOME defaults to JAVA_HOME)
#
# Reproducible: the same JDK, glibc and certificates give the same bytes (sorted tar entries,
# fixed times and owners, no build date). A second run with unchanged inputs does nothing.
set -euo pipefail

OUT=${1:?usage: base-image.sh OUTPUT.tar [JDK_HOME]}
JDK=${2:-${JAVA_HOME:?set JAVA_HOME or pass the JDK folder}}
say() { printf 'base-image: %s\n' "$*" >&2; }

# What the control plane (Vert.x, Netty, JDBC, Hikari, Fabric8, Logback, Micrometer) and the agent
# need, from jdeps over both runtime class paths, plus the providers they load by name at run time
# (DNS, JAAS/GSS for PostgreSQL, zip file systems, Swahili and English locale data).
MODULES=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,\
java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.localedata,\
jdk.management,jdk.naming.dns,jdk.security.auth,jdk.unsupported,jdk.zipfs

[ -x "$JDK/bin/jlink" ] || { say "$JDK is not a JDK with jlink"; exit 1; }
for tool in ldd dpkg-query sha256sum tar; do
  command -v "$tool" >/dev/null || { say "$tool is needed"; exit 1; }
done

# --- skip when nothing changed -----------------------------------------------------------------
pkg_versions=$(dpkg-query -W -f='${Package}=${Version}\n' libc6 ca-certificates 2>/dev/null | sort)
stamp=$( { sha256sum "$0" | cut -d' ' -f1; cat "$JDK/release"; echo "$pkg_versions"; } | sha256sum | cut -d' ' -f1)
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
os="$work/os"
rt="$work/runtime"
mkdir -p "$os" "$rt/opt"

# --- layer 2: the Java runtime ------------------------------------------------------------------
say "linking a Java runtime from $JDK"
"$JDK/bin/jlink" --add-modules "$MODULES" --include-locales=en,sw \
  --strip-debug --no-man-pages --no-header-files --generate-cds-archive \
  --output "$rt/opt/java" >/dev/null

# --- layer 1: glibc, certificates, users ----------------------------------------------------------
# Every shared library the runtime's ELF files link that Debian's libc6 package ships, copied to
# the path ldd resolves it to. Libraries of other packages (X11, ALSA: AWT's windowing and sound)
# are left out: a server never loads them.
libc_files=$(dpkg-query -L libc6)
deps=$(find "$rt/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
  | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | sort -u)
for lib in $deps; do
  real=$(readlink -f "$lib")
  if grep -qxF -e "$lib" -e "$real" -e "${lib#/usr}" -e "/usr$lib" <<<"$libc_files"; then
    mkdir -p "$os$(dirname "$lib")"
    cp -L "$lib" "$os$lib"
  fi
done
# glibc loads libgcc_s by name to unwind threads; the JVM's crash reporting unwinds too.
# awk reads to the end (no early exit): an early exit would kill ldconfig with SIGPIPE under pipefail
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ && !found { print $NF; found = 1 }')
if [ -n "$gcc_s" ]; then
  mkdir -p "$os$(dirname "$gcc_s")"
  cp -L "$gcc_s" "$os$gcc_s"
fi
[ -e "$os/lib64/ld-linux-x86-64.so.2" ] || { say "the dynamic loader was not found among the runtime's libraries"; exit 1; }

mkdir -p "$os/etc/ssl/certs" "$os/tmp" "$os/usr/share/doc/libc6"
cp /etc/ssl/certs/ca-certificates.crt "$os/etc/ssl/certs/ca-certificates.crt"
cp /usr/share/doc/libc6/copyright "$os/usr/share/doc/libc6/copyright"
chmod 1777 "$os/tmp"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin' >"$os/etc/passwd"
printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' >"$os/etc/group"
printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$os/etc/nsswitch.conf"

# --- pack -----------------------------------------------------------------------------------------
# Deterministic tar: sorted names, one fixed time, root owner, no access/change times.
pack() { # DIR OUTPUT
  (cd "$1" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$2" -- *)
}
image="$work/image"
mkdir -p "$image"
pack "$os" "$work/os.tar"
pack "$rt" "$work/runtime.tar"
os_id=$(sha256sum "$work/os.tar" | cut -d' ' -f1)
rt_id=$(sha256sum "$work/runtime.tar" | cut -d' ' -f1)
mv "$work/os.tar" "$image/$os_id.tar"
mv "$work/runtime.tar" "$image/$rt_id.tar"

java_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JDK/release")
cat >"$image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",\
"config":{"User":"65532:65532","WorkingDir":"/","Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],\
"Labels":{"org.opencontainers.image.description":"Wingu base: glibc, CA certificates, Java runtime ${java_version}"}},\
"rootfs":{"type":"layers","diff_ids":["sha256:$os_id","sha256:$rt_id"]},\
"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/base-image.sh: glibc, CA certificates, users"},\
{"created":"1970-01-01T00:00:00Z","created_by":"scripts/base-image.sh: jlink $MODULES"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["wingu-base:local"],"Layers":["%s.tar","%s.tar"]}]\n' \
  "$os_id" "$rt_id" >"$image/manifest.json"

mkdir -p "$(dirname "$OUT")"
pack "$image" "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "$stamp" >"$OUT.stamp"
say "wrote $OUT ($(du -h "$OUT" | cut -f1))"
