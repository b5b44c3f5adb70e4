#!/usr/bin/env bash
# nginx in front of gunicorn, for `make serve` and the tests (tests/production/):
#   scripts/nginx.sh install   install Debian's nginx if missing, without starting it
#   scripts/nginx.sh config    render deploy/nginx.conf into $NGINX_RUN_DIR/nginx.conf
#                              (or the file named after it)
#   scripts/nginx.sh run       render, check, then run nginx in the foreground (exec)
#   scripts/nginx.sh reload    render and check again, then have the nginx running from
#                              the same NGINX_RUN_DIR take it (an app server added to or
#                              taken out of NGINX_UPSTREAM) without dropping a request
# From the environment:
#   NGINX_RUN_DIR   config, pid and temporary files (default .run/nginx in the checkout)
#   NGINX_LISTEN    where nginx listens (default 127.0.0.1:${PORT:-8000})
#   NGINX_UPSTREAM  the app servers' (gunicorns') addresses, HOST:PORT or unix:PATH,
#                   separated by commas or white space (default 127.0.0.1:$((PORT + 1)));
#                   requests are balanced round-robin over them
#   NGINX_UPSTREAM_MAX_FAILS, NGINX_UPSTREAM_FAIL_TIMEOUT  a server that fails this many
#                   requests within this long is passed over for as long (default 3, 10s)
#   STATIC_ROOT     collected static files (default staticfiles/ in the checkout)
#   MEDIA_ROOT      uploaded images (default media/ in the checkout, as in settings)
#   TRUST_X_FORWARDED_PROTO  1: pass on the X-Forwarded-Proto of the TLS proxy in front
#                   (as Django does with the same setting); else nginx's own scheme
#   NGINX_USER      the user nginx's workers run as when started by root (default: the
#                   checkout's owner)
# Logs: the access log as JSON lines on stdout, errors on stderr, like gunicorn's.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${PORT:-8000}"
NGINX_RUN_DIR="${NGINX_RUN_DIR:-$REPO/.run/nginx}"
NGINX_LISTEN="${NGINX_LISTEN:-127.0.0.1:$PORT}"
NGINX_UPSTREAM="${NGINX_UPSTREAM:-127.0.0.1:$((PORT + 1))}"
NGINX_UPSTREAM_MAX_FAILS="${NGINX_UPSTREAM_MAX_FAILS:-3}"
NGINX_UPSTREAM_FAIL_TIMEOUT="${NGINX_UPSTREAM_FAIL_TIMEOUT:-10s}"
STATIC_ROOT="${STATIC_ROOT:-$REPO/staticfiles}"
MEDIA_ROOT="${MEDIA_ROOT:-$REPO/media}"

log() { echo "nginx.sh: $*" >&2; }

nginx_binary() {
    # /usr/sbin is not on a normal user's PATH.
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; }
}

install() {
    nginx_binary >/dev/null && return 0
    log "installing nginx"
    # Debian's package starts a system nginx on port 80 when it is installed; we run our
    # own, so forbid that start (policy-rc.d, which invoke-rc.d and systemd's helpers obey)
    # unless the machine already has a policy of its own.
    local policy=/usr/sbin/policy-rc.d made_policy=""
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local status=0
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx >/dev/null; }; } ||
        status=$?
    [[ -n "$made_policy" ]] && rm -f "$policy"
    return "$status"
}

is_true() { [[ "${1,,}" =~ ^(1|true|yes|on)$ ]]; }

sed_escape() { printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'; }

# The upstream block's server lines, one per address of NGINX_UPSTREAM, joined by a
# literal \n (a newline in sed's replacement). An address holds none of sed's special
# characters (| & \): anything but HOST:PORT or unix:/PATH is refused with a clear error.
upstream_servers() {
    local address addresses lines="" count=0
    local host_port='^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$'
    local unix_path='^unix:/[A-Za-z0-9._/-]+$'
    if ! [[ "$NGINX_UPSTREAM_MAX_FAILS" =~ ^[0-9]+$ ]]; then
        log "NGINX_UPSTREAM_MAX_FAILS is a number, not '$NGINX_UPSTREAM_MAX_FAILS'"
        return 1
    fi
    if ! [[ "$NGINX_UPSTREAM_FAIL_TIMEOUT" =~ ^[0-9]+(ms|s|m)?$ ]]; then
        log "NGINX_UPSTREAM_FAIL_TIMEOUT is a time such as 10s, not '$NGINX_UPSTREAM_FAIL_TIMEOUT'"
        return 1
    fi
    read -r -a addresses <<<"${NGINX_UPSTREAM//[,$'\n']/ }"
    for address in "${addresses[@]}"; do
        if ! [[ "$address" =~ $host_port || "$address" =~ $unix_path ]]; then
            log "NGINX_UPSTREAM: '$address' is not HOST:PORT or unix:/PATH"
            return 1
        fi
        lines+="        server $address max_fails=$NGINX_UPSTREAM_MAX_FAILS"
        lines+=" fail_timeout=$NGINX_UPSTREAM_FAIL_TIMEOUT;\\n"
        count=$((count + 1))
    done
    if ((count == 0)); then
        log "NGINX_UPSTREAM names no app server"
        return 1
    fi
    printf '%s' "${lines%\\n}"
}

config() {
    local out="${1:-$NGINX_RUN_DIR/nginx.conf}"
    mkdir -p "$NGINX_RUN_DIR"
    local user="" forwarded_proto='$scheme'
    if [[ "$(id -u)" == 0 ]]; then
        user="user ${NGINX_USER:-$(stat -c %U "$REPO")};"
    fi
    if is_true "${TRUST_X_FORWARDED_PROTO:-}"; then
        forwarded_proto='$forwarded_proto_from_proxy'
    fi
    local servers
    servers="$(upstream_servers)" || return 1
    sed -e "s|@USER@|$(sed_escape "$user")|" \
        -e "s|@RUN_DIR@|$(sed_escape "$NGINX_RUN_DIR")|g" \
        -e "s|@LISTEN@|$(sed_escape "$NGINX_LISTEN")|g" \
        -e "s|^@UPSTREAM_SERVERS@\$|$servers|" \
        -e "s|@STATIC_ROOT@|$(sed_escape "${STATIC_ROOT%/}")|g" \
        -e "s|@MEDIA_ROOT@|$(sed_escape "${MEDIA_ROOT%/}")|g" \
        -e "s|@FORWARDED_PROTO@|$(sed_escape "$forwarded_proto")|g" \
        "$REPO/deploy/nginx.conf" >"$out"
    echo "$out"
}

run() {
    local nginx conf
    nginx="$(nginx_binary)" || { log "nginx is not installed: run \`make nginx-deps\`"; exit 1; }
    conf="$(config)"
    # -e: the error log before the config is read, else the compiled-in /var/log/nginx.
    "$nginx" -q -t -p "$NGINX_RUN_DIR" -e stderr -c "$conf"
    log "listening on http://$NGINX_LISTEN, passing to gunicorn at ${NGINX_UPSTREAM//,/ }"
    exec "$nginx" -p "$NGINX_RUN_DIR" -e stderr -c "$conf"
}

reload() {
    local nginx conf="$NGINX_RUN_DIR/nginx.conf" new
    nginx="$(nginx_binary)" || { log "nginx is not installed: run \`make nginx-deps\`"; exit 1; }
    # The running nginx's config is replaced only by one that passes the check.
    new="$(config "$conf.new")"
    "$nginx" -q -t -p "$NGINX_RUN_DIR" -e stderr -c "$new" || { rm -f "$new"; exit 1; }
    mv -f "$new" "$conf"
    "$nginx" -p "$NGINX_RUN_DIR" -e stderr -c "$conf" -s reload
    log "reloaded: passing to gunicorn at ${NGINX_UPSTREAM//,/ }"
}

case "${1:-run}" in
    install) install ;;
    config) config "${2:-}" ;;
    run) run ;;
    reload) reload ;;
    *) echo "usage: $0 [install|config|run|reload]" >&2; exit 2 ;;
esac
