#!/usr/bin/env bash
# The benchmark, against the system of deploy/local/up.sh on 127.0.0.1 (started here if it is not running).
#   bench/run.sh [--quick] [--no-micro] [--only throughput,freshness,gateway,grants,history,console]
# Times each service's start-up to ready (restarting each in turn), then runs the load driver and the
# micro-benchmarks (bench/Protection.Bench), and writes bench/results/<date>.json and .md; a full run
# also puts the table into README.md. Bounded counts throughout: about 6 minutes on 2 cores.
# Exits non-zero when an invariant broke (a case lost on its way to triage, a fund overdrawn).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/local/common.sh"
cd "$ROOT"

ready() { curl -fsS "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }

running=yes
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ port _ <<<"$entry"
  ready "$port" || running=
done
if [ -z "$running" ]; then
  say "the system is not (all) running: starting it with deploy/local/up.sh"
  "$ROOT/deploy/local/up.sh"
fi

say "building the benchmark (Release)"
dotnet build "$ROOT/bench/Protection.Bench" -c Release -nologo -v quiet -clp:NoSummary \
  || fail "the benchmark did not build; fix the errors above and run bench/run.sh again"
bench_dll="$ROOT/bench/Protection.Bench/bin/Release/net10.0/Protection.Bench.dll"

# Milliseconds from launch to the first 200 from /health/ready, polled every 20 ms (up to 60 s).
time_to_ready() {
  local port=$1 started=$2
  for _ in $(seq 1 3000); do
    if ready "$port"; then echo $(( ($(date +%s%N) - started) / 1000000 )); return 0; fi
    sleep 0.02
  done
  return 1
}

startup="$RUN_DIR/bench-startup.txt"
: >"$startup"
say "start-up to ready: an empty ASP.NET Core app first (the baseline), then each service restarted in turn"
baseline_port=5199
started=$(date +%s%N)
nohup dotnet "$bench_dll" empty-app --urls "http://127.0.0.1:$baseline_port" >"$RUN_DIR/logs/empty-app.log" 2>&1 </dev/null &
baseline_pid=$!
ms=$(time_to_ready "$baseline_port" "$started") || { stop_pid "$baseline_pid"; fail "the empty app did not start; see $RUN_DIR/logs/empty-app.log"; }
sleep 1
rss=$(awk '/VmRSS/ {print $2}' "/proc/$baseline_pid/status")
stop_pid "$baseline_pid"
echo "empty-aspnet $ms $rss" >>"$startup"
printf '    %-12s %6s ms\n' "empty app" "$ms"

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ port _ <<<"$entry"
  stop_pid "$(cat "$RUN_DIR/pids/$name.pid")"
  started=$(date +%s%N)
  start_service "$name"
  ms=$(time_to_ready "$port" "$started") || fail "$name did not become ready within 60 s after a restart; see $RUN_DIR/logs/$name.log"
  echo "$name $ms" >>"$startup"
  printf '    %-12s %6s ms\n' "$name" "$ms"
done
# The proxy baseline for the gateway row: YARP alone in front of intake, in a process of its own as the gateway is.
proxy_port=5198
say "a bare YARP proxy on 127.0.0.1:$proxy_port in front of intake (the gateway row's floor)"
nohup dotnet "$bench_dll" bare-proxy --urls "http://127.0.0.1:$proxy_port" --to "http://127.0.0.1:5101" \
  >"$RUN_DIR/logs/bare-proxy.log" 2>&1 </dev/null &
proxy_pid=$!
trap 'stop_pid "$proxy_pid"' EXIT
time_to_ready "$proxy_port" "$(date +%s%N)" >/dev/null \
  || fail "the bare proxy did not start; see $RUN_DIR/logs/bare-proxy.log"

# Settle: the consumers' queues bound, the first timers run.
sleep 3

say "load driver and micro-benchmarks"
dotnet "$bench_dll" --startup "$startup" --bare-proxy "http://127.0.0.1:$proxy_port" "$@"
