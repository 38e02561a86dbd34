#!/usr/bin/env bash
# Starts the whole system on this machine: PostgreSQL, RabbitMQ, every service, the gateway.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
started_at=$(date +%s)

"$ROOT/deploy/local/infra.sh"
"$ROOT/deploy/local/down.sh" --quiet

say "building (Release)"
dotnet build "$ROOT/Protection.sln" -c Release -nologo -v quiet -clp:NoSummary \
  || fail "the build failed; fix the errors above and run deploy/local/up.sh again"

mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
gateway_env=()
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ port _ <<<"$entry"
  [ "$name" = gateway ] && continue
  # Every cluster gets its address, present or not: the gateway answers 502 for one that is not running.
  gateway_env+=("ReverseProxy__Clusters__${name}__Destinations__primary__Address=http://127.0.0.1:$port/")
done

for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name folder assembly port database <<<"$entry"
  dll="$ROOT/$folder/bin/Release/net10.0/$assembly.dll"
  if [ ! -f "$dll" ]; then continue; fi
  env_vars=(ASPNETCORE_ENVIRONMENT=Development)
  if [ "$database" != "-" ]; then
    env_vars+=("ConnectionStrings__Postgres=Host=127.0.0.1;Port=5432;Database=$database;Username=$PG_USER;Password=$PG_PASSWORD"
               "ConnectionStrings__RabbitMq=amqp://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:5672/")
  else
    env_vars+=("${gateway_env[@]}")
  fi
  say "starting $name on http://127.0.0.1:$port (log: .run/logs/$name.log)"
  # Started from its output folder (its content root, where appsettings.json is); nohup and env exec
  # into dotnet, so $! is the service's own PID, which down.sh stops.
  pushd "$(dirname "$dll")" >/dev/null
  nohup env "${env_vars[@]}" dotnet "$dll" --urls "http://127.0.0.1:$port" >"$RUN_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/pids/$name.pid"
  popd >/dev/null
  if ! wait_for "$name" 120 curl -fsS "http://127.0.0.1:$port/health/ready"; then
    tail -n 30 "$RUN_DIR/logs/$name.log" >&2 || true
    fail "$name did not become ready; the log is $RUN_DIR/logs/$name.log. Stop the rest with deploy/local/down.sh"
  fi
done

cat <<INFO

Protection is running ($(( $(date +%s) - started_at )) s).
  Gateway:        http://localhost:8080
  API reference:  http://localhost:8080/scalar
  Get a token:    curl -s -X POST http://localhost:8080/auth/dev-token -H 'Content-Type: application/json' -d '{"user":"olivia","roles":["officer"]}'
                  (roles: officer, supervisor, funder, auditor, admin)
  Logs:           $RUN_DIR/logs/
  Stop:           deploy/local/down.sh
INFO
