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
  "intake|services/Intake|Protection.Intake|5101|protection_intake"
  "triage|services/Triage|Protection.Triage|5102|protection_triage"
  "assistance|services/EmergencyAssistance|Protection.EmergencyAssistance|5103|protection_assistance"
  "relocation|services/Relocation|Protection.Relocation|5104|protection_relocation"
  "gateway|gateway|Protection.Gateway|8080|-"
)

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
