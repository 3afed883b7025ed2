#!/usr/bin/env bash
# Site deployment benchmark (issue: website templates, content and deployments with rollback).
# Through the real API on a fresh PostgreSQL: p50/p99 of one build-and-deploy (POST
# /sites/{id}/deployments, ~50 distinct revisions), then the time to move 500 sites (50
# institutions × 10 sites, each with its own content) to another template with 500 deployments.
# Usage: bench/sites/run.sh [revisions=50]. Run it on a quiet machine.
source "$(dirname "$0")/../java-bench.sh"
run_java_bench SitesBench -Dbench.revisions="${1:-50}"
