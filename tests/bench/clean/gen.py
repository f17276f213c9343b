#!/usr/bin/env python3
"""Generates a chat JSONL corpus for the clean benchmark: OpenAI chat records whose words come from the real
chat files in ../shared/realdata (when present, else a built-in list), with markdown, code blocks, some
non-ASCII (accents, curly quotes, emoji), invisible characters, 5 % exact and 3 % near duplicates.
Deterministic (fixed seed).  usage: gen.py --mb 64 --out chat.jsonl"""
import argparse, glob, json, os, random, re

ap = argparse.ArgumentParser()
ap.add_argument("--mb", type=float, default=64)
ap.add_argument("--out", required=True)
ap.add_argument("--shared", default=os.path.join(os.path.dirname(__file__), "../../../../shared"))
a = ap.parse_args()

rng = random.Random(20261130)
words = []
for f in sorted(glob.glob(os.path.join(a.shared, "realdata/chat/*.jsonl"))):
    with open(f, encoding="utf-8", errors="replace") as fh:
        words += re.findall(r"[A-Za-z][a-z]{1,12}", fh.read())
if len(words) < 1000:
    words = ("the of and to in is you that it he was for on are as with his they at be this have from or one had "
             "by word but not what all were we when your can said there use an each which she do how their if will "
             "up other about out many then them these so some her would make like him into time has look two more "
             "write go see number no way could people my than first water been call who oil its now find long down "
             "day did get come made may part model data train fine tune token price split clean validate").split()
vocab = sorted(set(words))
extras = ["café", "naïve", "“quoted”", "it’s", "😀", "👨‍👩‍👧", "Ünïcödé", "—", "…", "\u200b", "x\u00a0y"]

def sentence(n):
    s = [rng.choice(vocab) for _ in range(n)]
    if rng.random() < 0.3:
        s[rng.randrange(n)] = rng.choice(extras)
    return " ".join(s).capitalize() + rng.choice([".", "?", "!", "."])

def text(lo, hi):
    parts, n = [], rng.randint(lo, hi)
    while n > 0:
        k = min(n, rng.randint(6, 20))
        parts.append(sentence(k))
        n -= k
    t = " ".join(parts)
    r = rng.random()
    if r < 0.1:
        t += "\n\n```python\ndef f(x):\n    return  x * 2\n```\n"
    elif r < 0.2:
        t = "- " + t.replace(". ", ".\n- ", 3)
    if rng.random() < 0.05:
        t = "  " + t + "  \r\n"
    return t

target = int(a.mb * 1024 * 1024)
written, recent = 0, []
with open(a.out, "w", encoding="utf-8") as out:
    while written < target:
        r = rng.random()
        if r < 0.05 and recent:
            line = rng.choice(recent)  # exact duplicate
        elif r < 0.08 and recent:
            rec = json.loads(rng.choice(recent))
            m = rec["messages"][-1]
            m["content"] = m["content"] + " " + rng.choice(vocab)  # near duplicate
            line = json.dumps(rec, ensure_ascii=False)
        else:
            rec = {"messages": [
                {"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": text(10, 60)},
                {"role": "assistant", "content": text(40, 300)}]}
            line = json.dumps(rec, ensure_ascii=rng.random() < 0.5)
            recent.append(line)
            if len(recent) > 2000:
                recent.pop(0)
        out.write(line + "\n")
        written += len(line.encode()) + 1
