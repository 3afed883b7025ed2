#!/usr/bin/env bash
# Directory and scorecard benchmark (issue: public service directory, ICT systems register and the
# monthly scorecard). Loads 5,000 institutions, 50,000 bilingual directory entries and one live site
# each (revision, accessibility check, content, an Ingress with TLS on the API server), then drives
# GET /api/v1/public/directory from 100 closed-loop clients for BENCH_SECONDS (30), once with
# questions from a fixed pool (repeats hit the answer cache) and once with every question distinct,
# and prints p50/p95/p99/max; then times the month's scorecard draft and its publication.
# Usage: bench/directory/run.sh. Run it on a quiet machine.
source "$(dirname "$0")/../java-bench.sh"
run_java_bench DirectoryBench -Dbench.seconds="${BENCH_SECONDS:-30}" -Dbench.clients="${BENCH_CLIENTS:-100}" \
  -Dbench.pool="${WINGU_DB_POOL_SIZE:-16}"
