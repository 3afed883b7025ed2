#!/usr/bin/env bash
# Builds the image that serves each site (WINGU_SITE_IMAGE) from this machine alone (no image
# registry): Debian's nginx, as installed here by scripts/install-web-server.sh, and the shared
# libraries its binary links, in one layer with
#   /etc/passwd, /etc/group  root, nginx (101, the usual unprivileged nginx user) and web (10101,
#                            the image's user: kube-score asks for a UID of 10000 or more)
#   /etc/nginx/nginx.conf    written here: pid and every temp path in /tmp, error log to stderr,
#                            access log to stdout, mime.types, then conf.d/*.conf
#   /etc/nginx/conf.d/default.conf   a server on 8080 for /usr/share/nginx/html; Wingu mounts its
#                            own server block (SiteWebConfigs) over conf.d
#   /tmp, /var/cache/nginx   the only places nginx writes: the root file system can be read-only
# and writes it as a docker-archive tar (docker save's format), which `ctr images import` reads.
# No shell, no package manager: nginx is the only program in it.
#
# usage: scripts/site-image.sh OUTPUT.tar
#
# Reproducible: the same Debian packages give the same bytes (sorted tar entries, fixed times and
# owners, no build date). A second run with unchanged inputs does nothing.
set -euo pipefail

OUT=${1:?usage: site-image.sh OUTPUT.tar}
NAME=wingu/site-web:local
NGINX=/usr/sbin/nginx
say() { printf 'site-image: %s\n' "$*" >&2; }

[ -x "$NGINX" ] || { say "Debian's nginx is missing: run scripts/install-web-server.sh"; exit 1; }
for tool in ldd dpkg-query sha256sum tar; do
  command -v "$tool" >/dev/null || { say "$tool is needed"; exit 1; }
done

# The Debian packages that installed FILES, whichever of their names dpkg knows (merged /usr, symbolic
# links); one dpkg-query for all, as each call reads dpkg's whole file list.
owners() {
  local file real
  for file in "$@"; do
    real=$(readlink -f "$file")
    printf '%s\n' "$file" "/usr${file#/usr}" "${file#/usr}" "$real" "/usr${real#/usr}" "${real#/usr}"
  done | sort -u | xargs dpkg-query -S 2>/dev/null | cut -d: -f1 | sort -u || true
}

# Every shared library the binary links (and the loader), and the packages they come from.
libs=$(ldd "$NGINX" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | sort -u)
nginx_package=$(owners "$NGINX" | head -n1) # nginx, or nginx-light on older releases
[ -n "$nginx_package" ] || { say "no Debian package owns $NGINX"; exit 1; }
packages=$(owners "$NGINX" /etc/nginx/mime.types $libs)

# --- skip when nothing changed -----------------------------------------------------------------
pkg_versions=$(dpkg-query -W -f='${Package}=${Version}\n' $packages | sort)
stamp=$( { sha256sum "$0" | cut -d' ' -f1; echo "$pkg_versions"; } | sha256sum | cut -d' ' -f1)
if [ -f "$OUT" ] && [ "$(cat "$OUT.stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fs="$work/fs"
mkdir -p "$fs"

# --- the layer ------------------------------------------------------------------------------------
for file in $NGINX $libs; do
  mkdir -p "$fs$(dirname "$file")"
  cp -L "$file" "$fs$file"
done
[ -e "$fs/lib64/ld-linux-x86-64.so.2" ] || { say "the dynamic loader was not found among nginx's libraries"; exit 1; }
for package in $packages; do # the licences of what the image ships
  doc=/usr/share/doc/${package%%:*}
  if [ -f "$doc/copyright" ]; then
    mkdir -p "$fs$doc"
    cp "$doc/copyright" "$fs$doc/copyright"
  fi
done

mkdir -p "$fs/etc/nginx/conf.d" "$fs/usr/share/nginx/html" "$fs/tmp" "$fs/var/cache/nginx"
chmod 1777 "$fs/tmp" "$fs/var/cache/nginx"
cp /etc/nginx/mime.types "$fs/etc/nginx/mime.types"
printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nginx:x:101:101:nginx:/nonexistent:/sbin/nologin' \
  'web:x:10101:10101:web server:/nonexistent:/sbin/nologin' >"$fs/etc/passwd"
printf '%s\n' 'root:x:0:' 'nginx:x:101:' 'web:x:10101:' >"$fs/etc/group"

# Everything nginx writes goes to /tmp (pid, request bodies, temp files) or /var/cache/nginx, both
# writable volumes in a pod; its logs go to the container's stdout and stderr.
cat >"$fs/etc/nginx/nginx.conf" <<'CONF'
# Wingu's site web server (scripts/site-image.sh): runs as an unprivileged user on a read-only root.
worker_processes auto;
pid /tmp/nginx.pid;
error_log stderr notice;

events {
    worker_connections 1024;
}

http {
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;

    include /etc/nginx/mime.types;
    default_type application/octet-stream;

    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"';
    access_log /dev/stdout main;

    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    server_tokens off;

    include /etc/nginx/conf.d/*.conf;
}
CONF
cat >"$fs/etc/nginx/conf.d/default.conf" <<'CONF'
# The image's own server; Wingu mounts its server block over /etc/nginx/conf.d.
server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    index index.html;
}
CONF
printf '%s\n' '<!doctype html><html lang="en"><title>Wingu</title><p>This site has no content yet.</p></html>' \
  >"$fs/usr/share/nginx/html/index.html"

# --- pack -----------------------------------------------------------------------------------------
# Deterministic tar: sorted names, one fixed time, root owner, no access/change times.
pack() { # DIR OUTPUT
  (cd "$1" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$2" -- *)
}
image="$work/image"
mkdir -p "$image"
pack "$fs" "$work/layer.tar"
layer_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mv "$work/layer.tar" "$image/$layer_id.tar"

nginx_version=$(dpkg-query -W -f='${Version}' "$nginx_package")
cat >"$image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",\
"config":{"User":"10101:10101","WorkingDir":"/","Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],\
"Entrypoint":["/usr/sbin/nginx","-g","daemon off;"],"ExposedPorts":{"8080/tcp":{}},"StopSignal":"SIGQUIT",\
"Labels":{"org.opencontainers.image.description":"Wingu site web server: Debian nginx ${nginx_version}",\
"org.opencontainers.image.version":"${nginx_version}"}},\
"rootfs":{"type":"layers","diff_ids":["sha256:$layer_id"]},\
"history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/site-image.sh: $(echo $pkg_versions)"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["%s"],"Layers":["%s.tar"]}]\n' "$NAME" "$layer_id" >"$image/manifest.json"

mkdir -p "$(dirname "$OUT")"
pack "$image" "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "$stamp" >"$OUT.stamp"
say "wrote $OUT ($NAME, nginx $nginx_version, $(du -h "$OUT" | cut -f1))"
