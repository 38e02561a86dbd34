#!/usr/bin/env bash
# Makes sure PostgreSQL and RabbitMQ are installed, running and set up for Protection.
# Idempotent: installs only what is missing, starts only what is stopped, reuses what runs.
set -euo pipefail
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then say "apt-get update"; as_root apt-get update -qq; apt_updated=1; fi
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v pg_ctlcluster >/dev/null || apt_install postgresql
command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
command -v python3 >/dev/null || apt_install python3

# --- PostgreSQL -------------------------------------------------------------------------------
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  say "creating PostgreSQL cluster $version/main"
  as_root pg_createcluster "$version" main >/dev/null
fi
read -r pg_version pg_cluster pg_port pg_status _ < <(pg_lsclusters -h | head -1)
if [ "$pg_status" != "online" ]; then
  say "starting PostgreSQL $pg_version/$pg_cluster"
  as_root pg_ctlcluster "$pg_version" "$pg_cluster" start || fail "PostgreSQL did not start; see /var/log/postgresql/postgresql-$pg_version-$pg_cluster.log"
fi
[ "$pg_port" = 5432 ] || fail "PostgreSQL cluster $pg_version/$pg_cluster listens on $pg_port; Protection expects 5432"
wait_for "PostgreSQL" 30 pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer on 127.0.0.1:5432"

as_postgres "psql -q -v ON_ERROR_STOP=1 -d postgres" <<SQL >/dev/null
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$PG_USER') then
    create role $PG_USER login createdb password '$PG_PASSWORD';
  end if;
end \$\$;
SQL
for entry in "${SERVICES[@]}"; do
  IFS='|' read -r _ _ _ _ database <<<"$entry"
  [ "$database" = "-" ] && continue
  if ! as_postgres "psql -tAq -d postgres -c \"select 1 from pg_database where datname = '$database'\"" | grep -q 1; then
    as_postgres "psql -q -d postgres -c 'create database $database owner $PG_USER'" >/dev/null
  fi
done

# --- RabbitMQ ---------------------------------------------------------------------------------
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  say "starting RabbitMQ"
  as_root rabbitmq-server -detached >/dev/null 2>&1 || true
  wait_for "RabbitMQ" 90 as_root rabbitmqctl -q await_startup --timeout 5 || fail "RabbitMQ did not start; see /var/log/rabbitmq/"
fi
if ! as_root rabbitmqctl -q list_users 2>/dev/null | grep -q "^$RABBIT_USER\b"; then
  as_root rabbitmqctl -q add_user "$RABBIT_USER" "$RABBIT_PASSWORD" >/dev/null
  as_root rabbitmqctl -q set_user_tags "$RABBIT_USER" administrator >/dev/null
fi
as_root rabbitmqctl -q set_permissions -p / "$RABBIT_USER" ".*" ".*" ".*" >/dev/null

say "PostgreSQL on 127.0.0.1:5432 and RabbitMQ on 127.0.0.1:5672 are ready"
