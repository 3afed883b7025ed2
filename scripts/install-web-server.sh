#!/usr/bin/env bash
# Installs the web server the site web server test runs with Wingu's generated configuration:
# Debian's nginx (nginx-light where the release still has it, else nginx). Idempotent: does
# nothing when nginx is already installed.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-web-server: nginx is missing and installing it needs root (run: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ -n "$(apt-cache policy nginx-light 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)')" ]; then
  apt-get install -y -q --no-install-recommends nginx-light
else
  apt-get install -y -q --no-install-recommends nginx
fi
