#!/usr/bin/python3
"""Deterministic chat JSONL for the GNU parallel tests: gen_shard_data.py N > FILE

About 1 in 50 lines is broken (invalid JSON, not an object, invalid UTF-8), 1 in 10 records repeats an earlier
one byte for byte, some texts carry stray whitespace, some answers an e-mail address or a refusal, and every record has meta.id (unique per distinct
record) and meta.conv (shared by a few records), so split --by-hash and dedup have keys to work on.
"""
import sys

n = int(sys.argv[1])
out = sys.stdout.buffer
x = 12345
def rnd():
    global x
    x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
    return x >> 33

words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
         "upsilon phi chi psi omega café naïve 東京 😀").split()
made = []
for i in range(n):
    r = rnd() % 100
    if r < 2:
        out.write([b'{"messages": [', b'[1,2,3]', b'{"text":"\xff\xfe"}', b'not json at all'][rnd() % 4] + b"\n")
        continue
    if r < 12 and made:
        out.write(made[rnd() % len(made)])
        continue
    q = " ".join(words[rnd() % len(words)] for _ in range(3 + rnd() % 30))
    a = " ".join(words[rnd() % len(words)] for _ in range(3 + rnd() % 40))
    if rnd() % 7 == 0:
        q = "  " + q + " \\t"
    r = rnd() % 60
    if r == 0:
        a += " mail me at user%d@example.com" % i
    elif r == 1:
        a = "As an AI language model, I cannot " + a
    line = ('{"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"%s"},'
            '{"role":"assistant","content":"%s"}],"meta":{"id":"r%d","conv":"c%d"}}\n' % (q, a, i, i // 3))
    b = line.encode()
    made.append(b)
    out.write(b)
