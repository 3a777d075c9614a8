#!/usr/bin/env bash
# bench/http.sh: throughput and tail latency of hrdd's /healthz against nginx
# serving a static file with the same body, both on loopback, both driven by
# wrk (-t2 -c64, 2 s warm-up, then 10 s measured). Target: hrdd reaches at
# least 50% of nginx's requests/s and its p99 stays under 10 ms.
#
# Usage: bench/http.sh            (needs build/src/cli/hrdd; builds it if absent)
# Env:   HRDD=path/to/hrdd        use another binary
#        HRDD_BENCH_CMD='cmd'     serve with this command instead of
#                                 `hrdd init` + `hrdd serve`; the literal PORT in it
#                                 is replaced with the chosen port
#        DURATION=10 WARMUP=2 CONNECTIONS=64 THREADS=2
# Runs nginx as the current user (root in CI) with a throw-away config.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HRDD="${HRDD:-$ROOT/build/src/cli/hrdd}"
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

bench_need wrk nginx curl python3
bench_build
bench_tmp

# ---- hrdd ----
HPORT="$(free_port)"
if [[ -n "${HRDD_BENCH_CMD:-}" ]]; then
    ${HRDD_BENCH_CMD//PORT/$HPORT} >/dev/null 2>"$TMP/hrdd.err" &
    HRDD_PID=$!
    bench_track "$HRDD_PID"
else
    head -c 24 /dev/urandom | base64 | tr -d '\n' >"$TMP/pw"
    chmod 600 "$TMP/pw"
    "$HRDD" init --db "$TMP/bench.db" --org Bench --admin-email bench@example.org \
        --admin-password-file "$TMP/pw" >/dev/null
    "$HRDD" serve --db "$TMP/bench.db" --listen "127.0.0.1:$HPORT" >/dev/null 2>/dev/null &
    HRDD_PID=$!
    bench_track "$HRDD_PID"
fi
HURL="http://127.0.0.1:$HPORT/healthz"
wait_up "$HURL" "$HRDD_PID"

# ---- nginx with a static copy of the /healthz body ----
NPORT="$(free_port)"
mkdir -p "$TMP/www" "$TMP/nginx"
curl -fsS "$HURL" >"$TMP/www/healthz"
chmod 755 "$TMP" "$TMP/www" && chmod 644 "$TMP/www/healthz"
cat >"$TMP/nginx.conf" <<EOF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;
        location = /healthz { default_type application/json; }
    }
}
EOF
nginx -c "$TMP/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' &
NGINX_PID=$!
bench_track "$NGINX_PID"
NURL="http://127.0.0.1:$NPORT/healthz"
wait_up "$NURL" "$NGINX_PID"
cmp -s <(curl -fsS "$HURL") <(curl -fsS "$NURL") || { echo "bench: bodies differ" >&2; exit 1; }

# ---- measure ----
echo "hrdd  $HURL"
read -r H_RPS H_P99 < <(run_wrk "$HURL")
echo "nginx $NURL"
read -r N_RPS N_P99 < <(run_wrk "$NURL")

printf '\n%-6s %12s %10s\n' "" "req/s" "p99 ms"
printf '%-6s %12s %10s\n' "hrdd" "$H_RPS" "$H_P99"
printf '%-6s %12s %10s\n' "nginx" "$N_RPS" "$N_P99"
RESULT="$(awk -v h="$H_RPS" -v n="$N_RPS" -v p="$H_P99" 'BEGIN {
    r = n > 0 ? h / n : 0
    printf "ratio hrdd/nginx: %.2f\n", r
    print "target: >= 50% of nginx, p99 < 10 ms"
    print ((r >= 0.5 && p < 10) ? "PASS" : "FAIL")
}')"
echo "$RESULT"
[[ "$(echo "$RESULT" | tail -n 1)" == "PASS" ]]
