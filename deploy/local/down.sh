#!/usr/bin/env bash
# Stops the processes deploy/local/up.sh started (by the PIDs it recorded). PostgreSQL and RabbitMQ keep running.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
quiet=${1:-}

shopt -s nullglob
for pidfile in "$RUN_DIR"/pids/*.pid; do
  name=$(basename "$pidfile" .pid)
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    [ -z "$quiet" ] && say "stopping $name (pid $pid)"
    stop_pid "$pid"
  fi
  rm -f "$pidfile"
done
[ -z "$quiet" ] && say "stopped; PostgreSQL and RabbitMQ are still running"
exit 0
