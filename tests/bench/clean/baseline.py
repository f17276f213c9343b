#!/usr/bin/env python3
"""Python baseline for the clean benchmark (datatrove and text-dedup cannot be installed here: no PyPI).
Does the same work as the ftprep steps, the way those pipelines do it in Python:
  unicode: json.loads, NFC (unicodedata), strip invisible/controls (str.translate), line endings, trim, dumps
  exact:   normalised key (NFKD + casefold + whitespace join) -> 8-byte blake2b -> set
  minhash: word 5-gram shingles -> 64-bit hashes -> 112 permutations (a*h+b) mod (2^61-1) -> 14x8 LSH bands
usage: baseline.py MODE FILE   (prints MB/s of CPU time on stdout, reading excluded)"""
import hashlib, json, re, sys, time, unicodedata

mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
lines = data.split(b"\n")
INVIS = {c: None for c in list(range(0, 9)) + [11, 12] + list(range(14, 32)) + [127] + list(range(0x80, 0xA0)) +
         [0x200B, 0x200E, 0x200F, 0xFEFF, 0x061C, 0x180E] + list(range(0x202A, 0x202F)) +
         list(range(0x2060, 0x2065)) + list(range(0x2066, 0x206A))}
WORD = re.compile(r"\w+")
P = (1 << 61) - 1
import random
rng = random.Random(1)
A = [rng.randrange(1, P) for _ in range(112)]
B = [rng.randrange(0, P) for _ in range(112)]

def texts(rec):
    for m in rec.get("messages", []):
        c = m.get("content")
        if isinstance(c, str):
            yield m, c

t0 = time.process_time()
out = []
seen = set()
bands = [dict() for _ in range(14)]
for raw in lines:
    if not raw:
        continue
    rec = json.loads(raw)
    if mode == "unicode":
        changed = False
        for m, c in texts(rec):
            n = unicodedata.normalize("NFC", c).translate(INVIS).replace("\r\n", "\n").replace("\r", "\n").strip()
            if n != c:
                m["content"] = n
                changed = True
        out.append(json.dumps(rec, ensure_ascii=False) if changed else raw)
    elif mode == "exact":
        key = "\x1e".join(m.get("role", "") + "\x1f" + " ".join(unicodedata.normalize("NFKD", c).casefold().split())
                          for m, c in texts(rec))
        h = hashlib.blake2b(key.encode(), digest_size=8).digest()
        if h not in seen:
            seen.add(h)
    elif mode == "minhash":
        words = WORD.findall("\n".join(c for _, c in texts(rec)).lower())
        if not words:
            continue
        sh = {int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 5]).encode(), digest_size=8).digest(), "little")
              for i in range(max(1, len(words) - 4))}
        sig = [min((a * h + b) % P for h in sh) for a, b in zip(A, B)]
        dup = False
        for k in range(14):
            key = tuple(sig[k * 8:(k + 1) * 8])
            if key in bands[k]:
                dup = True
        if not dup:
            for k in range(14):
                bands[k][tuple(sig[k * 8:(k + 1) * 8])] = True
t = time.process_time() - t0
print(f"{len(data) / t / 1e6:.2f}")
