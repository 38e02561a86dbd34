# Shared by the local scripts: paths, the service table and small helpers. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT/.run"
PG_USER=protection
PG_PASSWORD=protection
RABBIT_USER=protection
RABBIT_PASSWORD=protection

# name | project folder | assembly | port | database ("-" for none). Missing projects are skipped.
SERVICES=(
  "identity|services/Identity|Protection.Identity|5105|protection_identity"
  "intake|services/Intake|Protection.Intake|5101|protection_intake"
  "triage|services/Triage|Protection.Triage|5102|protection_triage"
  "assistance|services/EmergencyAssistance|Protection.EmergencyAssistance|5103|protection_assistance"
  "relocation|services/Relocation|Protection.Relocation|5104|protection_relocation"
  "console|services/Console|Protection.Console|5106|-"
  "gateway|gateway|Protection.Gateway|8080|-"
)

# Connections each service may hold. Four services share PostgreSQL's 100 (97 for non-superusers);
# Npgsql's default of 100 each would exhaust them under load (the benchmark found it), and two cores
# gain nothing from more than a few connections at work at once.
PG_POOL=16
# PostgreSQL is on this machine's loopback: Npgsql's default (use TLS when the server offers it, as
# Debian's does) encrypts bytes that never leave the kernel, and cost a third of intake's CPU in the
# benchmark's profile. A PostgreSQL on another host keeps TLS: set its connection string instead.
PG_LOCAL_OPTIONS="Maximum Pool Size=$PG_POOL;SSL Mode=Disable"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs as root directly, otherwise through sudo when there is one.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root for: $*"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else sudo -u postgres bash -c "$1"; fi
}

# wait_for "what" seconds command...: polls once a second, printing a dot, until the command succeeds.
wait_for() {
  local what=$1 seconds=$2; shift 2
  printf '    waiting for %s ' "$what"
  for _ in $(seq 1 "$seconds"); do
    if "$@" >/dev/null 2>&1; then printf ' ready\n'; return 0; fi
    printf '.'; sleep 1
  done
  printf ' gave up after %ss\n' "$seconds"
  return 1
}

# start_service NAME: starts one process of the table from its Release output (as up.sh does),
# in the background, and records its PID in .run/pids. Answers 1 when it is not built.
start_service() {
  local name=$1 entry folder assembly port database dll env_vars=() other other_port
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r other folder assembly port database <<<"$entry"
    [ "$other" = "$name" ] && break
  done
  [ "$other" = "$name" ] || fail "no service called $name"
  dll="$ROOT/$folder/bin/Release/net10.0/$assembly.dll"
  [ -f "$dll" ] || return 1
  # Every process validates tokens against the identity service's keys, read straight from it; the
  # issuer (what tokens say in "iss", and where browsers sign in) is the gateway's public address.
  env_vars=(ASPNETCORE_ENVIRONMENT=Development
            "Auth__Authority=http://localhost:$(port_of gateway)/"
            "Auth__MetadataAddress=http://127.0.0.1:$(port_of identity)/.well-known/openid-configuration")
  if [ "$name" = console ]; then
    env_vars+=("Console__Api=http://127.0.0.1:$(port_of gateway)/")
  elif [ "$database" != "-" ]; then
    env_vars+=("ConnectionStrings__Postgres=Host=127.0.0.1;Port=5432;Database=$database;Username=$PG_USER;Password=$PG_PASSWORD;$PG_LOCAL_OPTIONS"
               "ConnectionStrings__RabbitMq=amqp://$RABBIT_USER:$RABBIT_PASSWORD@127.0.0.1:5672/")
  else
    # Every cluster gets its address, present or not: the gateway answers 502 for one that is not running.
    for entry in "${SERVICES[@]}"; do
      IFS='|' read -r other _ _ other_port _ <<<"$entry"
      [ "$other" = gateway ] || env_vars+=("ReverseProxy__Clusters__${other}__Destinations__primary__Address=http://127.0.0.1:$other_port/")
    done
  fi
  mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"
  # Started from its output folder (its content root, where appsettings.json is); nohup and env exec
  # into dotnet, so $! is the service's own PID, which stop_service and down.sh stop.
  pushd "$(dirname "$dll")" >/dev/null
  nohup env "${env_vars[@]}" dotnet "$dll" --urls "http://127.0.0.1:$port" >>"$RUN_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/pids/$name.pid"
  popd >/dev/null
}

# port_of NAME: the port a process of the table listens on.
port_of() {
  local entry name port
  for entry in "${SERVICES[@]}"; do
    IFS='|' read -r name _ _ port _ <<<"$entry"
    [ "$name" = "$1" ] && { echo "$port"; return 0; }
  done
  return 1
}

# stop_pid PID: asks the process to stop, waits up to 10 s, then kills it.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}
