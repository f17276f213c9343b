#!/usr/bin/python3
"""Writes grammar.tsv, grammar.json and grammar.xlsx from grammar.csv (the same table in every input kind).

Run with Debian's python3 (it has openpyxl): /usr/bin/python3 samples/convert/make_samples.py
Every cell is written as text, so "007" stays "007" and `ftprep convert` gives byte-identical JSONL from
all four files (tests/cli/convert/same_data_every_format checks it).
"""
import csv
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "grammar.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]

with open(os.path.join(here, "grammar.tsv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, delimiter="\t", lineterminator="\n")
    w.writerows(rows)

with open(os.path.join(here, "grammar.json"), "w", encoding="utf-8") as f:
    json.dump([dict(zip(header, r)) for r in data], f, ensure_ascii=False, indent=2)
    f.write("\n")

try:
    import openpyxl
except ImportError:
    print("openpyxl is missing (apt-get install python3-openpyxl); grammar.xlsx not written")
else:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "sentences"
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            cell.number_format = "@"  # text: keeps 007 as typed
    notes = wb.create_sheet("notes")
    notes.append(["source", "written for the ftprep samples"])
    wb.save(os.path.join(here, "grammar.xlsx"))
