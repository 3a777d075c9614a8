#!/usr/bin/env python3
"""run_all: the one entry point for hrdd's tests.

usage: tests/run_all.py BUILD_DIR [--no-browser]

1. Starts a throw-away PostgreSQL with scripts/pgtest and exports
   HRDD_TEST_PG_URL and HRDD_REQUIRE_PG=1, so storage suites cannot
   silently skip PostgreSQL.
2. Runs every test meson knows about (meson introspect --tests), each with
   its own cmd, env and workdir, CMOCKA_MESSAGE_OUTPUT=TAP, and counts the
   TAP test points ("ok N" / "not ok N").
3. Runs tests/integration/*.test.mjs, then tests/browser/*.test.mjs (unless
   --no-browser) with node --test and its TAP reporter, counting leaf tests.
4. Stops PostgreSQL (always), prints per-suite counts and, as the very last
   line, "N passed, N failed". Exit status 1 when anything failed or when no
   test ran at all.

Output of every suite is streamed as it runs so CI logs show progress.
Python 3 standard library only.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAP_POINT = re.compile(r"^(\s*)(not ok|ok)\s+\d+(.*)$")
NODE_SUITE_TIMEOUT = 900          # seconds per node --test run
DEFAULT_TEST_TIMEOUT = 300


def say(msg=""):
    print(msg, flush=True)


class Result:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.notes = []

    def fail(self, note):
        self.failed += 1
        self.notes.append(note)


def is_skip(rest):
    return bool(re.search(r"#\s*(SKIP|TODO)\b", rest, re.IGNORECASE))


def run_streaming(cmd, env, cwd, timeout, on_line):
    """Runs cmd in its own process group; stdout is streamed line by line to
    the terminal and to on_line, stderr goes straight to the terminal.
    Returns (returncode, timed_out). returncode is None if it could not start."""
    try:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                                stderr=None, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as e:
        say(f"run_all: cannot start {cmd[0]}: {e}")
        return None, False
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            print(line, flush=True)
            on_line(line)
        rc = proc.wait()
    except BaseException:
        kill()
        proc.wait()
        raise
    finally:
        timer.cancel()
        proc.stdout.close()
    # leave no stragglers from this test behind (its own process group only)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return rc, timed_out.is_set()


# ---------------------------------------------------------------- PostgreSQL

class Postgres:
    def __init__(self, result):
        self.result = result
        self.dir = None

    def start(self, env):
        script = os.path.join(ROOT, "scripts", "pgtest")
        env["HRDD_REQUIRE_PG"] = "1"
        if not os.access(script, os.X_OK):
            say("run_all: scripts/pgtest not found: PostgreSQL suites will fail")
            self.result.fail("postgresql harness missing")
            return
        self.dir = tempfile.mkdtemp(prefix="hrdd-pgtest-")
        say(f"== postgresql: scripts/pgtest start {self.dir}")
        try:
            p = subprocess.run([script, "start", self.dir], stdout=subprocess.PIPE,
                               stderr=None, stdin=subprocess.DEVNULL, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as e:
            say(f"run_all: pgtest start failed: {e}")
            self.result.fail("postgresql harness did not start")
            return
        url = p.stdout.decode("utf-8", "replace").strip().splitlines()
        url = url[-1].strip() if url else ""
        if p.returncode != 0 or not url.startswith("postgresql://"):
            say(f"run_all: pgtest start exited {p.returncode}, output {url!r}")
            self.result.fail("postgresql harness did not start")
            return
        env["HRDD_TEST_PG_URL"] = url
        env["HRDD_TEST_PG_DIR"] = self.dir      # its data directory is DIR/data (at-rest scan)
        say(f"== postgresql: {url}")

    def stop(self):
        if not self.dir:
            return
        script = os.path.join(ROOT, "scripts", "pgtest")
        if os.path.isdir(self.dir):
            try:
                subprocess.run([script, "stop", self.dir], stdout=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, timeout=120)
            except (OSError, subprocess.TimeoutExpired) as e:
                say(f"run_all: pgtest stop failed: {e}")
        if os.path.isdir(self.dir):
            subprocess.run(["rm", "-rf", "--", self.dir])
        self.dir = None


# ---------------------------------------------------------------- C suites

def meson_tests(build_dir):
    p = subprocess.run(["meson", "introspect", "--tests", build_dir],
                       stdout=subprocess.PIPE, stderr=None)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout.decode("utf-8"))


def run_meson_test(t, base_env, build_dir):
    name = t.get("name", "?")
    res = Result(f"unit:{name}")
    say(f"\n== unit: {name}")
    env = dict(base_env)
    env.update(t.get("env") or {})
    env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
    cwd = t.get("workdir") or build_dir
    timeout = t.get("timeout") or DEFAULT_TEST_TIMEOUT
    if timeout <= 0:
        timeout = DEFAULT_TEST_TIMEOUT
    plan = [None]

    def on_line(line):
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            plan[0] = int(m.group(1))
            return
        m = TAP_POINT.match(line)
        if not m or m.group(1):            # cmocka's points are not indented
            return
        if m.group(2) == "ok":
            if is_skip(m.group(3)):
                res.skipped += 1
            else:
                res.passed += 1
        else:
            res.fail(f"{name}:{m.group(3).strip(' -')}")

    rc, timed_out = run_streaming(t["cmd"], env, cwd, timeout, on_line)
    if rc is None:
        res.fail(f"{name}: could not start")
    elif timed_out:
        res.fail(f"{name}: timed out after {timeout}s")
    elif rc != 0 and res.failed == 0:
        how = f"signal {-rc}" if rc < 0 else f"status {rc}"
        res.fail(f"{name}: exited with {how} without a failing test point")
    elif rc == 0 and plan[0] is not None and res.passed + res.failed + res.skipped < plan[0]:
        res.fail(f"{name}: planned {plan[0]} tests, saw "
                 f"{res.passed + res.failed + res.skipped}")
    elif rc == 0 and res.passed + res.failed + res.skipped == 0:
        res.passed += 1                     # a plain (non-TAP) test that succeeded
    return res


# ---------------------------------------------------------------- node suites

def run_node_suite(kind, folder, base_env, extra_env):
    res = Result(kind)
    path = os.path.join(ROOT, "tests", folder)
    files = sorted(f for f in os.listdir(path) if f.endswith(".test.mjs")) \
        if os.path.isdir(path) else []
    if not files:
        say(f"\n== {kind}: no tests/{folder}/*.test.mjs, skipped")
        return None
    say(f"\n== {kind}: node --test tests/{folder}/ ({len(files)} files)")
    env = dict(base_env)
    env.update(extra_env)
    # Node prints a test's subtests (indented) before the test's own line, so
    # a point is a parent exactly when deeper points came right before it.
    # Leaves are counted; a failing parent whose subtree has no failing leaf
    # (hook or file-level failure) counts as one failure.
    stack = []                              # (indent, failed) of pending points

    def on_line(line):
        m = TAP_POINT.match(line)
        if not m:
            return
        indent = len(m.group(1).expandtabs(4))
        ok = m.group(2) == "ok"
        rest = m.group(3)
        children_failed = False
        had_children = False
        while stack and stack[-1][0] > indent:
            had_children = True
            children_failed |= stack.pop()[1]
        if had_children:
            if not ok and not children_failed:
                res.fail(f"{folder}:{rest.strip(' -')}")
                children_failed = True
            stack.append((indent, children_failed or not ok))
            return
        if ok:
            if is_skip(rest):
                res.skipped += 1
            else:
                res.passed += 1
        else:
            res.fail(f"{folder}:{rest.strip(' -')}")
        stack.append((indent, not ok))

    cmd = ["node", "--test", "--test-reporter=tap", f"tests/{folder}/"]
    rc, timed_out = run_streaming(cmd, env, ROOT, NODE_SUITE_TIMEOUT, on_line)
    if rc is None:
        res.fail(f"{kind}: node could not start")
    elif timed_out:
        res.fail(f"{kind}: timed out after {NODE_SUITE_TIMEOUT}s")
    elif rc != 0 and res.failed == 0:
        res.fail(f"{kind}: node exited with status {rc} without a failing test")
    return res


# ---------------------------------------------------------------- main

def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = [a for a in argv[1:] if a.startswith("--")]
    unknown = [f for f in flags if f != "--no-browser"]
    if len(args) != 1 or unknown:
        print("usage: tests/run_all.py BUILD_DIR [--no-browser]", file=sys.stderr)
        return 2
    build_dir = os.path.abspath(args[0])
    no_browser = "--no-browser" in flags
    started = time.monotonic()

    results = []
    env = dict(os.environ)
    env["CMOCKA_MESSAGE_OUTPUT"] = "TAP"
    pg_result = Result("postgresql")
    results.append(pg_result)
    pg = Postgres(pg_result)
    try:
        pg.start(env)

        tests = meson_tests(build_dir)
        if tests is None:
            r = Result("unit")
            r.fail(f"meson introspect --tests {build_dir} failed")
            results.append(r)
        else:
            for t in tests:
                results.append(run_meson_test(t, env, build_dir))

        hrdd = os.path.join(build_dir, "src", "cli", "hrdd")
        r = run_node_suite("integration", "integration", env, {"HRDD_BIN": hrdd})
        if r:
            results.append(r)
        if no_browser:
            say("\n== browser: skipped (--no-browser)")
        else:
            r = run_node_suite("browser", "browser", env,
                               {"HRDD_BIN": hrdd, "CHROMIUM": "/usr/bin/chromium"})
            if r:
                results.append(r)
    finally:
        pg.stop()

    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    say(f"\n== summary ({time.monotonic() - started:.0f}s)")
    for r in results:
        extra = f", {r.skipped} skipped" if r.skipped else ""
        say(f"  {r.name:<28} {r.passed:>5} passed, {r.failed:>3} failed{extra}")
    notes = [n for r in results for n in r.notes]
    if notes:
        say("failures:")
        for n in notes:
            say(f"  - {n}")
    say(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    # a CI runner's SIGTERM must still reach the finally that stops PostgreSQL
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main(sys.argv))
    except KeyboardInterrupt:
        sys.exit(130)
