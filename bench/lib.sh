# bench/lib.sh: shell helpers shared by the bench/*.sh scripts (sourced, not
# run; `make bench` skips it). Tools check, building hrdd when absent, a
# temporary directory with one cleanup trap for every process started, free
# ports, waiting for a server, and running wrk into "rps p99_ms" figures.
#
# A script sets ROOT and HRDD, then: bench_need wrk curl ...; bench_build;
# bench_tmp (sets TMP and the EXIT trap); bench_track PID for each server;
# bench_on_exit 'command' for extra cleanup (run before TMP is removed).

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

bench_need() {   # tool...
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
    done
}

bench_build() {  # builds $HRDD when missing (unless a custom serve command is used)
    [[ -n "${HRDD_BENCH_CMD:-}" || -x "$HRDD" ]] && return 0
    echo "bench: $HRDD not found, building" >&2
    if [[ -f "$ROOT/Makefile" ]]; then
        make -C "$ROOT" build
    else
        [[ -d "$ROOT/build" ]] || meson setup "$ROOT/build" "$ROOT" --buildtype=release
        ninja -C "$ROOT/build"
    fi
}

BENCH_PIDS=()
BENCH_EXIT_HOOKS=()
TMP=""

bench_cleanup() {
    local pid hook
    for hook in "${BENCH_EXIT_HOOKS[@]}"; do eval "$hook" || true; done
    for pid in "${BENCH_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    [[ -n "$TMP" ]] && rm -rf "$TMP"
}

bench_tmp() {    # creates TMP and installs the cleanup trap
    TMP="$(mktemp -d /tmp/hrdd-bench.XXXXXX)"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_track() { BENCH_PIDS+=("$1"); }                 # pid: killed on exit
bench_on_exit() { BENCH_EXIT_HOOKS+=("$1"); }          # command: run on exit

# Stops a tracked server now (SIGTERM, wait) and forgets it.
bench_stop() {   # pid
    local pid keep=()
    kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true
    for pid in "${BENCH_PIDS[@]}"; do [[ "$pid" == "$1" ]] || keep+=("$pid"); done
    BENCH_PIDS=("${keep[@]}")
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_up() {      # url pid
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
        kill -0 "$2" 2>/dev/null || { echo "bench: server exited early" >&2; return 1; }
        sleep 0.1
    done
    echo "bench: $1 did not come up" >&2
    return 1
}

# "rps p99_ms" from a wrk --latency report.
wrk_figures() {  # file
    awk '
        /Requests\/sec:/ { rps = $2 }
        $1 == "99%" {
            v = $2
            if (v ~ /us$/) { sub(/us$/, "", v); p99 = v / 1000 }
            else if (v ~ /ms$/) { sub(/ms$/, "", v); p99 = v }
            else if (v ~ /s$/) { sub(/s$/, "", v); p99 = v * 1000 }
        }
        END { printf "%.0f %.3f\n", rps, p99 }' "$1"
}

# Warm-up, then the measured run into $TMP/wrk.out; refuses non-2xx answers.
run_wrk() {      # url -> "rps p99_ms"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$1" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$TMP/wrk.out"
    if grep -q "Non-2xx" "$TMP/wrk.out"; then
        echo "bench: non-2xx responses from $1" >&2
        cat "$TMP/wrk.out" >&2
        exit 1
    fi
    wrk_figures "$TMP/wrk.out"
}
