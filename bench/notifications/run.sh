#!/usr/bin/env bash
# Notifications benchmark (issue 23): 5,000 institutions, each with an admin who has an address,
# a real SMTP server on loopback (Mailpit, scripts/mailpit.sh) and the control plane on a fresh
# PostgreSQL. Measures the API's p99 (open-loop GET /institutions) with no mail going out, then
# publishes the scorecard (5,000 mails into the outbox) and measures the same load while they go
# out; prints both p99s side by side and the mails per second the SMTP server received.
# Usage: bench/notifications/run.sh   (BENCH_RATE: API requests/s, BENCH_SMTP_RATE: WINGU_SMTP_RATE,
# the mails/s cap; BENCH_STEP_SECONDS: each load step, shorter than the mails take to go out)
WINGU_MAILPIT=$(bash "$(dirname "$0")/../../scripts/mailpit.sh")
export WINGU_MAILPIT
source "$(dirname "$0")/../java-bench.sh"
run_java_bench NotificationsBench \
  -Dbench.rate="${BENCH_RATE:-50}" \
  -Dbench.smtpRate="${BENCH_SMTP_RATE:-100}" \
  -Dbench.stepSeconds="${BENCH_STEP_SECONDS:-30}" \
  -Dbench.institutions="${BENCH_INSTITUTIONS:-5000}"
