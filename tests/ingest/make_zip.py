#!/usr/bin/env python3
"""tests/ingest/make_zip.py OUT CSV...: builds a nested archive like the
official daily dumps for the ingest suite: OUT holds one inner
"<name>-00000.csv.zip" per two CSV chunks; each inner zip holds its chunks.
The outer archive is written through a pipe (not seekable), so Python's
zipfile writes data descriptors (flag bit 3) after each entry; inner
archives are deflated, their chunks deflated too."""
import io
import os
import sys
import zipfile


class Unseekable(io.RawIOBase):
    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


out, chunks = sys.argv[1], sys.argv[2:]
with open(out, "wb") as raw:
    with zipfile.ZipFile(Unseekable(raw), "w", compression=zipfile.ZIP_DEFLATED) as outer:
        for part in range(0, len(chunks), 2):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as inner:
                for i, c in enumerate(chunks[part:part + 2]):
                    inner.write(c, "sor-part-%05d-%05d.csv" % (part // 2, i))
            with outer.open("sor-part-%05d.csv.zip" % (part // 2), "w") as e:
                e.write(buf.getvalue())
