#!/usr/bin/env bash
# Provisioning benchmark (issue: provisioning). Provisions N tenants (one site and one database
# each) on a real kube-apiserver + etcd and real PostgreSQL, next to kubectl apply --server-side of
# the same objects, then resyncs the unchanged tenants counting writes at the Kubernetes client.
# Approvals arrive at BENCH_RATE per second; each tenant's time-to-ready counts from its own approval.
# Both routing modes are provisioned in the same run (BENCH_ROUTING=ingress,gateway): an Ingress per
# site, and Gateway API (HTTPRoute, ListenerSet, cert-manager Certificate; the pinned release's CRDs
# from scripts/gateway-api-crds.sh and a stand-in Certificate CRD are installed into the benchmark's
# API server); a line compares their median time-to-ready.
# Usage: bench/provisioning/run.sh  (BENCH_SIZES=200,1000 BENCH_RATE=25 BENCH_WORKERS=8 BENCH_KUBECTL=8
#        BENCH_ROUTING=ingress,gateway BENCH_WARMUP=100
#        BENCH_DATA_DIR=/folder/for/the/database/servers, default /var/tmp)
#
# CREATE DATABASE makes about 300 files. On ext4 without a journal (this VM's root filesystem),
# every file creation skips the inodes deleted in the last minutes one by one (ext4's
# recently_deleted check runs only without a journal), so for a few minutes after any mass
# deletion (a test run, an earlier benchmark's cleanup) creating databases costs several times
# more. The benchmark times creating a file there first and waits (up to ten minutes) until that
# is fast again, printing each reading.
source "$(dirname "$0")/../java-bench.sh"

data_dir=${BENCH_DATA_DIR:-/var/tmp}
probe=$(mktemp -d "$data_dir/wingu-file-probe.XXXXXX")
# the probe's files stay until the end: deleting them now would slow the filesystem again
trap 'rm -rf "$probe"' EXIT
for attempt in $(seq 1 10); do
  mkdir "$probe/$attempt"
  start=$(date +%s%N)
  for i in $(seq 1 2000); do : > "$probe/$attempt/$i"; done
  per_file_us=$(( ($(date +%s%N) - start) / 2000 / 1000 ))
  echo "creating a file in $data_dir takes ${per_file_us} µs (a shell loop: tens of µs is normal, hundreds mean recent mass deletions slow this filesystem)"
  if (( per_file_us < 100 )) || [[ ${BENCH_NO_WAIT:-} == 1 ]]; then
    break
  fi
  echo "waiting a minute for the filesystem to settle (BENCH_NO_WAIT=1 runs at once)"
  sleep 60
done

WINGU_GATEWAY_API_CRDS=$(bash scripts/gateway-api-crds.sh)
export WINGU_GATEWAY_API_CRDS
run_java_bench ProvisioningBench -Dbench.sizes="${BENCH_SIZES:-200,1000}" -Dbench.workers="${BENCH_WORKERS:-8}" \
  -Dbench.kubectl="${BENCH_KUBECTL:-8}" -Dbench.rate="${BENCH_RATE:-25}" -Dbench.dir="$data_dir" \
  -Dbench.routing="${BENCH_ROUTING:-ingress,gateway}" -Dbench.warmup="${BENCH_WARMUP:-100}"
