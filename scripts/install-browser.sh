#!/usr/bin/env bash
# Installs the headless browser the accessibility tests drive: Debian's Chromium and its
# matching chromedriver. Idempotent: does nothing when both are already installed.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-browser: chromium and chromedriver are missing and installing them needs root (run: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium chromium-driver
