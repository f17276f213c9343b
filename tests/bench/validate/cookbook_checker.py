#!/usr/bin/env python3
"""Python baseline for `ftprep validate`: the format checks of OpenAI's cookbook notebook "Data preparation and
analysis for chat model fine-tuning", rewritten here (not copied) with the same logic — count per error kind,
no line numbers, stop-free — and hardened where the notebook crashes (numeric weight, tool calls).

usage: cookbook_checker.py FILE.jsonl   -> prints the error counts and the number of examples"""
import json
import sys
from collections import Counter

ROLES = {"system", "user", "assistant", "function", "tool"}
KEYS = {"role", "content", "name", "function_call", "weight", "tool_calls", "tool_call_id"}


def check(ex, errors):
    if not isinstance(ex, dict):
        errors["data_type"] += 1
        return
    messages = ex.get("messages")
    if not messages or not isinstance(messages, list):
        errors["missing_messages_list"] += 1
        return
    for m in messages:
        if not isinstance(m, dict) or "role" not in m:
            errors["message_missing_key"] += 1
            continue
        if any(k not in KEYS for k in m):
            errors["message_unrecognized_key"] += 1
        if m.get("role") not in ROLES:
            errors["unrecognized_role"] += 1
        content = m.get("content")
        calls = m.get("function_call") or m.get("tool_calls")
        if (content is None and not calls) or (content is not None and not isinstance(content, (str, list))):
            errors["missing_content"] += 1
        w = m.get("weight")
        if w is not None and w not in (0, 1):
            errors["weight"] += 1
    if not any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages):
        errors["example_missing_assistant_message"] += 1


def main():
    errors = Counter()
    n = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            n += 1
            check(json.loads(line), errors)
    print(n, "examples;", dict(errors) or "no errors")


main()
