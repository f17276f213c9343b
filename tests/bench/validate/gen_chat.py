#!/usr/bin/env python3
"""Writes N realistic chat SFT examples (OpenAI format, some tool calls) as JSONL to stdout.

usage: gen_chat.py N [BAD_LINE]   -- BAD_LINE (1-based) gets an unanswered tool call.
Deterministic (seeded), so benchmark and test inputs are reproducible."""
import json
import random
import sys

n = int(sys.argv[1])
bad = int(sys.argv[2]) if len(sys.argv) > 2 else 0
rng = random.Random(42)
words = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up other "
         "about out many then them these so some her would make like him into time has look two more write go see "
         "number no way could people my than first water been call who oil its now find long down day did get come "
         "made may part über café naïve 東京 数据 données").split()
out = sys.stdout
for i in range(1, n + 1):
    def text(k):
        return " ".join(rng.choice(words) for _ in range(k)).capitalize() + "."
    msgs = [{"role": "system", "content": "You are a helpful assistant for order support."},
            {"role": "user", "content": text(rng.randint(8, 40))}]
    if i % 7 == 0 or i == bad:
        call = {"id": "call_%d" % i, "type": "function",
                "function": {"name": "lookup_order", "arguments": json.dumps({"order_id": str(1000 + i)})}}
        msgs.append({"role": "assistant", "content": None, "tool_calls": [call]})
        if i != bad:
            msgs.append({"role": "tool", "tool_call_id": "call_%d" % i, "content": json.dumps({"status": "shipped"})})
        msgs.append({"role": "assistant", "content": text(rng.randint(10, 60))})
    else:
        msgs.append({"role": "assistant", "content": text(rng.randint(20, 120))})
        if i % 3 == 0:
            msgs.append({"role": "user", "content": text(rng.randint(5, 20))})
            msgs.append({"role": "assistant", "content": text(rng.randint(10, 60)), "weight": 1})
    rec = {"messages": msgs}
    if i % 7 == 0 or i == bad:
        rec["tools"] = [{"type": "function", "function": {"name": "lookup_order", "description": "Find an order",
                         "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}},
                                        "required": ["order_id"]}}}]
    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
