#!/usr/bin/python3
"""Writes a benchmark workbook: N rows of realistic fine-tuning data (deterministic, seeded).

usage: make_workbook.py OUT.xlsx [ROWS] [--sst]     (default 100000 rows)

By default the workbook is written by openpyxl (write-only mode, as big exports are), which stores text as
inline strings. --sst writes the same data the way Excel does, text in the shared-string table (one entry
per distinct text), with zipfile and hand-made XML: that variant measures the memory the table costs.
Columns: id (text "000123"), prompt, completion (multi-word text with non-ASCII, quotes, tabs, newlines),
score (float), tokens (int), created (datetime), reviewed (bool).
"""
import datetime
import random
import sys
import zipfile
from xml.sax.saxutils import escape

WORDS = ("the a model data answer question tutor explain why how because learning rate epoch token "
         "gradient loss café naïve 東京 emoji 🙂 \"quoted\" comma, semi; tab\tseparated line").split(" ")
BASE = datetime.datetime(2024, 1, 1)


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def rows(n):
    rng = random.Random(42)
    yield ["id", "prompt", "completion", "score", "tokens", "created", "reviewed"]
    for i in range(n):
        completion = text(rng, rng.randint(10, 30))
        if i % 10 == 0:
            completion += "\nsecond line"
        yield [f"{i:06d}", text(rng, rng.randint(5, 15)), completion, round(rng.random() * 100, 3),
               rng.randint(1, 4000), BASE + datetime.timedelta(seconds=rng.randint(0, 86400 * 365)),
               rng.random() < 0.5]


def write_openpyxl(out, n):
    import openpyxl
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("data")
    for r in rows(n):
        ws.append(r)
    wb.save(out)


def col(i):
    return "ABCDEFG"[i]


def write_sst(out, n):
    strings, index, body = [], {}, []
    for r_i, r in enumerate(rows(n), start=1):
        cells = []
        for c_i, v in enumerate(r):
            ref = f"{col(c_i)}{r_i}"
            if isinstance(v, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, datetime.datetime):
                serial = (v - datetime.datetime(1899, 12, 30)).total_seconds() / 86400
                cells.append(f'<c r="{ref}" s="1"><v>{serial!r}</v></c>')
            elif isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v!r}</v></c>')
            else:
                if v not in index:
                    index[v] = len(strings)
                    strings.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
        body.append(f'<row r="{r_i}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"/>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="data" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                   f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
                   f'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" '
                   'Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", f'<styleSheet {ns}><numFmts><numFmt numFmtId="164" '
                   'formatCode="yyyy-mm-dd h:mm:ss"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
                   '</cellXfs></styleSheet>')
        sst = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
        z.writestr("xl/sharedStrings.xml", f'<sst {ns} uniqueCount="{len(strings)}">{sst}</sst>')
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet {ns}><sheetData>{"".join(body)}</sheetData>'
                   '</worksheet>')


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[1]) if len(args) > 1 else 100000
    (write_sst if "--sst" in sys.argv else write_openpyxl)(args[0], n)


if __name__ == "__main__":
    main()
