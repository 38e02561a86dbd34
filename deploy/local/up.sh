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

rm -f "$RUN_DIR"/logs/*.log
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r name _ _ port _ <<<"$entry"
  say "starting $name on http://127.0.0.1:$port (log: .run/logs/$name.log)"
  start_service "$name" || { say "$name is not built; skipped"; continue; }
  if ! wait_for "$name" 120 curl -fsS "http://127.0.0.1:$port/health/ready"; then
    tail -n 30 "$RUN_DIR/logs/$name.log" >&2 || true
    fail "$name did not become ready; the log is $RUN_DIR/logs/$name.log. Stop the rest with deploy/local/down.sh"
  fi
done

cat <<INFO

Protection is running ($(( $(date +%s) - started_at )) s).
  Console:        http://localhost:8080 (officers and supervisors; sign in with an account made by the admin API)
  Gateway:        http://localhost:8080
  API reference:  http://localhost:8080/scalar
  Sign-in:        http://localhost:8080/account/login (OpenID Connect discovery: http://localhost:8080/.well-known/openid-configuration)
  First admin:    deploy/local/bootstrap-admin.sh --email you@example.org   (prints a one-time enrolment link)
  Get a token:    curl -s -X POST http://localhost:8080/auth/dev-token -H 'Content-Type: application/json' -d '{"user":"olivia","roles":["officer"]}'
                  (Development only; roles: officer, supervisor, funder, auditor, admin)
  Logs:           $RUN_DIR/logs/
  Stop:           deploy/local/down.sh
INFO
