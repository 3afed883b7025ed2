#!/usr/bin/env bash
# Workflow benchmark (issue: institutions, accounts and the request → approval workflow).
# Loads 10,000 institutions and 10,000 requests into a fresh PostgreSQL with production settings,
# then drives GET /requests?status=PENDING and approvals open-loop over 200 connections and
# prints p50/p99/max and the throughput achieved at each rate. Usage: bench/workflow/run.sh
source "$(dirname "$0")/../java-bench.sh"
run_java_bench WorkflowBench -Dbench.stepSeconds="${BENCH_STEP_SECONDS:-8}"
