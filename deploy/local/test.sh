#!/usr/bin/env bash
# Runs every test: unit, integration (real PostgreSQL + RabbitMQ) and end-to-end (through the gateway).
# Ends with a line "N passed, N failed". Extra arguments go to dotnet test (e.g. --filter Name~Outbox).
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -z "${PROTECTION_TEST_POSTGRES:-}" ] || [ -z "${PROTECTION_TEST_RABBITMQ:-}" ]; then
  "$ROOT/deploy/local/infra.sh"
  # A virtual host for each suite that uses the broker (they run at the same time), made afresh for each run:
  # no queue or message of an earlier run, or of the other suite, reaches it.
  as_root rabbitmqctl -q delete_vhost protection-test >/dev/null 2>&1 || true # the one all suites shared before
  for suite in integration e2e; do
    as_root rabbitmqctl -q delete_vhost "protection-test-$suite" >/dev/null 2>&1 || true
    as_root rabbitmqctl -q add_vhost "protection-test-$suite" >/dev/null
    as_root rabbitmqctl -q set_permissions -p "protection-test-$suite" "$RABBIT_USER" ".*" ".*" ".*" >/dev/null
  done
  export PROTECTION_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Database=postgres;Username=$PG_USER;Password=$PG_PASSWORD"
  export PROTECTION_TEST_RABBITMQ="amqp://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:5672/protection-test-{suite}"
fi

# The console's tests drive Debian's Chromium (Playwright cannot download its own browser here).
if ! command -v chromium >/dev/null; then
  say "installing chromium (for the console's browser tests)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || fail "could not install chromium; install it (apt-get install -y chromium) and run deploy/local/test.sh again"
fi

results="$ROOT/.test-results"
rm -rf "$results"
# The end-to-end tests' services write their output here; after a failure their warnings and errors are printed.
export PROTECTION_TEST_SERVICE_LOGS="$results/services"
# The whole solution first: the end-to-end tests start the services from their build output, and
# `dotnet test` alone would start a test project as soon as that project is built.
say "building (Release)"
dotnet build "$ROOT/Protection.sln" -c Release -nologo -v quiet -clp:NoSummary \
  || fail "the build failed; fix the errors above and run deploy/local/test.sh again"
say "running the tests"
status=0
dotnet test "$ROOT/Protection.sln" -c Release --no-build --logger trx --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" || status=$?

read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(passed, failed, skipped)
PY
)

if [ "$failed" -gt 0 ] && [ -d "$PROTECTION_TEST_SERVICE_LOGS" ]; then
  say "warnings and errors the end-to-end tests' services logged (all of it in $PROTECTION_TEST_SERVICE_LOGS)"
  for log in "$PROTECTION_TEST_SERVICE_LOGS"/*.log; do
    lines=$(grep -E -A3 '^(warn|fail|crit): ' "$log" | tail -n 40 || true)
    if [ -n "$lines" ]; then printf -- '--- %s\n%s\n' "$(basename "$log")" "$lines"; fi
  done
fi

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then status=1; echo "no test ran" >&2; fi
if [ "$failed" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
if [ "$skipped" -gt 0 ]; then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
exit "$status"
