#!/usr/bin/env python3
"""Writes a deterministic "hostile" CSV of at least N megabytes to stdout: quoted fields with commas,
doubled quotes and embedded newlines (LF and CRLF), UTF-8 multibyte text (accents, CJK, emoji), empty cells,
leading-zero ids and long cells. Usage: gen_hostile_csv.py MEGABYTES > file.csv
"""
import random
import sys

target = int(sys.argv[1]) * 1000 * 1000
rng = random.Random(42)
words = ["the", "quick", "brown", "fox", "naïve", "café", "résumé", "日本語", "数据", "😅", "🚀", "Zürich",
         "über", "data,set", "say \"hi\"", "a,b,c", "end.", "x", "lorem", "ipsum", "ñandú", "Ελληνικά", "кириллица"]

def text(n):
    parts = []
    for _ in range(n):
        w = rng.choice(words)
        r = rng.random()
        if r < 0.05:
            w += "\n"
        elif r < 0.07:
            w += "\r\n"
        parts.append(w)
    return " ".join(parts)

def cell(s):
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s

out = sys.stdout.buffer
out.write(b"id,prompt,completion,label,score,notes\n")
written = 0
i = 0
buf = []
while written < target:
    i += 1
    row = [
        "%07d" % i,
        text(rng.randint(3, 30)),
        text(rng.randint(5, 80)),
        rng.choice(["pos", "neg", "", "neutral"]),
        "%.3f" % rng.random(),
        "" if rng.random() < 0.5 else text(rng.randint(1, 200) if rng.random() < 0.02 else rng.randint(1, 8)),
    ]
    line = (",".join(cell(c) for c in row) + "\n").encode("utf-8")
    buf.append(line)
    written += len(line)
    if len(buf) >= 2000:
        out.write(b"".join(buf))
        buf = []
out.write(b"".join(buf))
