#!/usr/bin/python3
"""Writes a benchmark workbook with openpyxl: N rows of realistic fine-tuning data.

usage: make_workbook.py OUT.xlsx [ROWS]   (default 100000 rows; deterministic, seeded)
Columns: id (text "000123"), prompt, completion (multi-word text with some non-ASCII, quotes, newlines),
score (float), tokens (int), created (datetime), reviewed (bool).
"""
import datetime
import random
import sys

import openpyxl

WORDS = ("the a model data answer question tutor explain why how because learning rate epoch token "
         "gradient loss café naïve 東京 emoji 🙂 \"quoted\" comma, semi; tab\tseparated line").split(" ")


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    rng = random.Random(42)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["id", "prompt", "completion", "score", "tokens", "created", "reviewed"])
    base = datetime.datetime(2024, 1, 1)
    for i in range(rows):
        completion = text(rng, rng.randint(10, 30))
        if i % 10 == 0:
            completion += "\nsecond line"
        ws.append([f"{i:06d}", text(rng, rng.randint(5, 15)), completion, round(rng.random() * 100, 3),
                   rng.randint(1, 4000), base + datetime.timedelta(seconds=rng.randint(0, 86400 * 365)),
                   rng.random() < 0.5])
    wb.save(out)


if __name__ == "__main__":
    main()
