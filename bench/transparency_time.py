#!/usr/bin/env python3
"""bench/transparency_time.py OUT CMD ARG...: runs CMD (stdout to
OUT.stdout), then writes "wall_seconds peak_rss_kb user_seconds sys_seconds"
to OUT, from wait4's rusage of that one child (so no /usr/bin/time is
needed on a fresh machine). Exits with the command's status."""
import os
import subprocess
import sys
import time

out, cmd = sys.argv[1], sys.argv[2:]
with open(out + ".stdout", "wb") as so:
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=so)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
with open(out, "w") as f:
    f.write(f"{wall:.3f} {ru.ru_maxrss} {ru.ru_utime:.2f} {ru.ru_stime:.2f}\n")
sys.exit(os.waitstatus_to_exitcode(status))
