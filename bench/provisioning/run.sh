#!/usr/bin/env bash
# Provisioning benchmark (issue: provisioning). Provisions N tenants (one site and one database
# each) on a real kube-apiserver + etcd and real PostgreSQL, next to kubectl apply --server-side of
# the same objects, then resyncs the unchanged tenants counting writes at the Kubernetes client.
# Approvals arrive at BENCH_RATE per second; each tenant's time-to-ready counts from its own approval.
# Usage: bench/provisioning/run.sh  (BENCH_SIZES=200,1000 BENCH_RATE=25 BENCH_WORKERS=8 BENCH_KUBECTL=8
#        BENCH_DATA_DIR=/folder/on/the/database/disk)
#
# A database server keeps its data on a journaled filesystem. Where /tmp lies on ext4 without a
# journal (as on some VMs), every file creation scans the inodes deleted in the last minutes
# (ext4's recently_deleted check, which only runs without a journal) and CREATE DATABASE, about
# 300 files each, slows several-fold after any mass deletion. There, when allowed (root, loop
# devices), the PostgreSQL data goes on a loop-mounted ext4 image with a journal, removed after.
source "$(dirname "$0")/../java-bench.sh"

data_dir=${BENCH_DATA_DIR:-}
note=""
if [[ -z $data_dir ]]; then
  tmp_dev=$(findmnt -n -o SOURCE --target "${TMPDIR:-/tmp}" || true)
  tmp_fs=$(findmnt -n -o FSTYPE --target "${TMPDIR:-/tmp}" || true)
  if [[ $tmp_fs == ext4 && -n $tmp_dev && ! -e /proc/fs/jbd2/$(basename "$tmp_dev")-8 && $EUID -eq 0 ]] \
      && command -v mkfs.ext4 >/dev/null && losetup -f >/dev/null 2>&1; then
    image=$(mktemp /var/tmp/wingu-bench-db.XXXXXX.img)
    data_dir=$(mktemp -d /tmp/wingu-bench-db.XXXXXX)
    cleanup() { umount "$data_dir" 2>/dev/null || true; rmdir "$data_dir" 2>/dev/null || true; rm -f "$image"; }
    trap cleanup EXIT
    truncate -s 60G "$image"
    mkfs.ext4 -q -F "$image"
    mount -o loop "$image" "$data_dir"
    chmod 755 "$data_dir"
    note=" (ext4 with a journal on a loop-mounted image: ${TMPDIR:-/tmp} is ext4 without one)"
  fi
fi

run_java_bench ProvisioningBench -Dbench.sizes="${BENCH_SIZES:-200,1000}" -Dbench.workers="${BENCH_WORKERS:-8}" \
  -Dbench.kubectl="${BENCH_KUBECTL:-8}" -Dbench.rate="${BENCH_RATE:-25}" -Dbench.dir="$data_dir" \
  -Dbench.dirNote="$note"
