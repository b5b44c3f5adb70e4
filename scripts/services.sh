#!/usr/bin/env bash
# Start what the site needs on this machine, idempotently, bound to 127.0.0.1:
#   scripts/services.sh postgres   PostgreSQL 15 (Debian cluster 15/main) + role and database
#   scripts/services.sh redis      Redis
#   scripts/services.sh all        both (the default)
# The role and database come from DATABASE_URL when it names a local PostgreSQL server
# (default postgres://newsroom:newsroom@127.0.0.1:5432/newsroom). The role may create
# databases, which the test suite needs. Used by `make serve`, `make test` and the bench.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://newsroom:newsroom@127.0.0.1:5432/newsroom}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER=main

log() { echo "services: $*" >&2; }

apt_install() {
    # Try the package lists we have first; refresh them only if that fails.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}

postgres() {
    if [[ ! "$DATABASE_URL" =~ ^postgres(ql)?://([^:@/]+):([^@/]*)@([^:/]+)(:([0-9]+))?/([^?]+) ]]; then
        log "DATABASE_URL is not a postgres://user:password@host/db URL; nothing to start"
        return 0
    fi
    local user="${BASH_REMATCH[2]}" password="${BASH_REMATCH[3]}" host="${BASH_REMATCH[4]}"
    local port="${BASH_REMATCH[6]:-5432}" db="${BASH_REMATCH[7]}"
    if [[ "$host" != 127.0.0.1 && "$host" != localhost ]]; then
        log "PostgreSQL at $host is not local; not starting one"
        return 0
    fi
    if [[ ! -x /usr/lib/postgresql/$PG_VERSION/bin/postgres ]]; then
        log "installing PostgreSQL $PG_VERSION"
        if ! apt_install "postgresql-$PG_VERSION"; then
            # A Debian release without version 15 (Debian 13 ships 17): take its own.
            log "PostgreSQL $PG_VERSION is not packaged here; installing the distribution's"
            apt_install postgresql
            PG_VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
        fi
    fi
    if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PG_VERSION/$PG_CLUSTER"; then
        pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$port" >/dev/null
    fi
    local conf="/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/newsroom.conf"
    if [[ ! -f "$conf" ]]; then
        mkdir -p "$(dirname "$conf")"
        printf "listen_addresses = '127.0.0.1'\nport = %s\n" "$port" >"$conf"
    fi
    if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
        log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$port"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
        for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
    fi
    pg_isready -q -h 127.0.0.1 -p "$port" || { log "PostgreSQL did not start"; return 1; }

    local psql=(runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres)
    if [[ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" ]]; then
        log "creating role $user"
        "${psql[@]}" -c "CREATE ROLE \"$user\" LOGIN CREATEDB PASSWORD '$password'"
    fi
    if [[ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]]; then
        log "creating database $db"
        "${psql[@]}" -c "CREATE DATABASE \"$db\" OWNER \"$user\""
    fi
}

redis() {
    if [[ ! "$REDIS_URL" =~ ^redis://([^/@]*@)?([^:/]+)(:([0-9]+))? ]]; then
        log "REDIS_URL is not a redis:// URL; nothing to start"
        return 0
    fi
    local host="${BASH_REMATCH[2]}" port="${BASH_REMATCH[4]:-6379}"
    if [[ "$host" != 127.0.0.1 && "$host" != localhost ]]; then
        log "Redis at $host is not local; not starting one"
        return 0
    fi
    if ! command -v redis-server >/dev/null; then
        log "installing Redis"
        apt_install redis-server
    fi
    if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != PONG ]]; then
        log "starting Redis on 127.0.0.1:$port"
        # Cached pages and flood-control keys expire, and the least recently used of them
        # make room; keys without an expiry (the task queue, the page cache's generation)
        # are never evicted. The queue is lost on a restart: moderation emails only.
        redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --protected-mode yes \
            --save "" --appendonly no --maxmemory 256mb --maxmemory-policy volatile-lru \
            --dir /tmp --logfile /tmp/newsroom-redis.log
        for _ in $(seq 50); do
            [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] && break
            sleep 0.1
        done
    fi
    [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] ||
        { log "Redis did not start"; return 1; }
}

case "${1:-all}" in
    postgres) postgres ;;
    redis) redis ;;
    all) postgres; redis ;;
    *) echo "usage: $0 [postgres|redis|all]" >&2; exit 2 ;;
esac
