#!/usr/bin/python3
"""report_equal.py SINGLE MERGED [--ignore DOTTED.PATH ...] [--shard-relative-findings]

Exit 0 when two ftprep reports are equal as JSON values (key order ignored), after dropping the --ignore'd
paths (e.g. max.dedup_memory_bytes: per-process by nature). With --shard-relative-findings, findings are
compared without their "file" and "line" (a shard fed on stdin numbers its lines from 1) but in order and
with everything else. Prints the first differences otherwise.
"""
import json
import sys

args = sys.argv[1:]
files, ignore, rel = [], [], False
i = 0
while i < len(args):
    if args[i] == "--ignore":
        ignore.append(args[i + 1]); i += 2
    elif args[i] == "--shard-relative-findings":
        rel = True; i += 1
    elif args[i].startswith("--"):
        sys.exit("unknown argument " + args[i])
    else:
        files.append(args[i]); i += 1
if len(files) < 2:
    sys.exit(__doc__)

def drop(d, path):
    parts = path.split(".")
    for p in parts[:-1]:
        if not isinstance(d, dict) or p not in d:
            return
        d = d[p]
    if isinstance(d, dict):
        d.pop(parts[-1], None)

def load(path):
    d = json.load(open(path))
    for p in ignore:
        drop(d, p)
    if rel and isinstance(d.get("findings"), list):
        for f in d["findings"]:
            if isinstance(f, dict):
                f.pop("file", None); f.pop("line", None)
    return d

diffs = []
def cmp(x, y, where):
    if len(diffs) > 10:
        return
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                diffs.append("%s.%s only in %s" % (where, k, "single" if k in x else "merged"))
            else:
                cmp(x[k], y[k], where + "." + k)
    elif isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            diffs.append("%s: %d vs %d items" % (where, len(x), len(y)))
        for j, (p, q) in enumerate(zip(x, y)):
            cmp(p, q, "%s[%d]" % (where, j))
    elif isinstance(x, float) or isinstance(y, float):
        if abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(x))):
            diffs.append("%s: %r vs %r" % (where, x, y))
    elif x != y:
        diffs.append("%s: %r vs %r" % (where, x, y))

a = load(files[0])
bad = False
for f in files[1:]:
    diffs = []
    cmp(a, load(f), "report")
    if diffs:
        print("%s differs from %s:\n  %s" % (f, files[0], "\n  ".join(diffs)))
        bad = True
if bad:
    sys.exit(1)
print(", ".join("%d %s" % (len(a[k]), k) for k in ("counts", "histograms", "min", "max", "findings", "derived")
                if isinstance(a.get(k), (dict, list))))
