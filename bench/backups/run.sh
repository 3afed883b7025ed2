#!/usr/bin/env bash
# Backup benchmark (issue #20: encrypted backups of tenant databases, proven restorable).
# On a fresh embedded PostgreSQL 17 with a tenant database of BENCH_DB_MB MiB (default 1024 = 1 GiB):
# Wingu's backup (pg_dump custom format -> Tink streaming AES-256-GCM -> multipart upload to
# versitygw on loopback) in MB/s next to plain `pg_dump | gzip` and `pg_dump -Fc` to a file, measured
# in the same run on the same database; Wingu's in-place restore next to a plain pg_restore of the
# -Fc file; and the time to verify one backup.
# Usage: bench/backups/run.sh            (1 GiB)
#        BENCH_DB_MB=64 bench/backups/run.sh   (a quick try)
source "$(dirname "$0")/../java-bench.sh"
WINGU_VERSITYGW=$(bash scripts/s3-server.sh)
WINGU_PG_BIN=$(bash scripts/pg-client.sh)
export WINGU_VERSITYGW WINGU_PG_BIN
run_java_bench BackupBench -Dbench.mb="${BENCH_DB_MB:-1024}"
