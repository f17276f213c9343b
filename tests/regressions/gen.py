#!/usr/bin/python3
"""Generates the large hostile inputs of tests/regressions at test time (they are never stored in git).

usage: gen.py KIND [ARGS...] > FILE   (bytes on stdout; deterministic: same arguments, same bytes)

  deep-array N [open]      {"x":[[[...]]]} nested N deep (open: never closed, no newline)
  deep-object N [open]     {"a":{"a":{...}}} nested N deep
  big-line MB [bad-tail]   {"a":1} / {"text":"xxx...(MB MiB)"} / {"b":2}; bad-tail ends the big string with 0xFF
  no-newline MB            one MB MiB string record and no newline at all
  garbage SEED KB          pseudo-random bytes (a fixed LCG, so no dependency on Python's random)
  gzip-bomb MB             gzip of MB MiB of zero bytes (one endless line)
  big-field-csv MB         CSV: header, a row, a row with an MB MiB field, a row
  long-row-csv MB          CSV with one MB MiB row of short cells
  many-lines N             N small JSONL records
  zip-bomb MB              an .xlsx whose sheet XML inflates to MB MiB
  xlsx VARIANT             small workbooks: basic, header-only, xxe, laughs, bad-xml, bad-sst, bad-ref,
                           nul-ref, invalid-utf8, no-workbook, dup-cell, big-cell MB, truncated, scanner
"""
import hashlib
import gzip
import io
import sys
import zipfile

out = sys.stdout.buffer
MB = 1 << 20


def lcg_bytes(seed, n):
    x = seed & 0xFFFFFFFF
    b = bytearray(n)
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        b[i] = (x >> 16) & 0xFF
    return bytes(b)


def xlsx(sheet_xml, extra=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def sheet(rows, prolog=b""):
    """rows: list of lists of cell XML snippets (already formatted <c> elements)."""
    body = b"".join(b'<row r="%d">' % (i + 1) + b"".join(r) + b"</row>" for i, r in enumerate(rows))
    return b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b"<worksheet " + NS + b"><sheetData>" + body + \
        b"</sheetData></worksheet>"


def istr(ref, text):
    return b'<c r="' + ref + b'" t="inlineStr"><is><t>' + text + b"</t></is></c>"


def basic_rows():
    return [[istr(b"A1", b"prompt"), istr(b"B1", b"completion")],
            [istr(b"A2", b"Hello"), istr(b"B2", b"World")],
            [istr(b"A3", b"007"), istr(b"B3", b"Caf\xc3\xa9")],
            [istr(b"A4", b"last"), istr(b"B4", b"row")]]


def pseudo_text(n):
    chunks, i, have = [], 0, 0
    while have < n:
        chunks.append(hashlib.sha256(b"%d" % i).hexdigest().encode())
        have += 64
        i += 1
    return b"".join(chunks)[:n]


def xlsx_variant(v, args):
    rows = basic_rows()
    if v == "basic":
        return xlsx(sheet(rows))
    if v == "header-only":
        return xlsx(sheet(rows[:1]))
    if v == "xxe":
        prolog = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        rows[1][0] = istr(b"A2", b"&xxe;")
        return xlsx(sheet(rows, prolog))
    if v == "laughs":
        ents = b'<!ENTITY lol0 "lol">' + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
        rows[1][0] = istr(b"A2", b"&lol9;")
        return xlsx(sheet(rows, b"<!DOCTYPE worksheet [" + ents + b"]>"))
    if v == "bad-xml":
        return xlsx(sheet(rows).replace(b"</row></sheetData>", b"<row><c></sheetData>"))
    if v == "bad-sst":
        rows[2][1] = b'<c r="B3" t="s"><v>99</v></c>'
        sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS + b' count="1" uniqueCount="1"><si><t>only</t></si></sst>')
        return xlsx(sheet(rows), {"xl/sharedStrings.xml": sst})
    if v == "bad-ref":
        rows[2][1] = istr(b"ZZZZZZZZZ3", b"far away")
        return xlsx(sheet(rows))
    if v == "nul-ref":
        rows[2][1] = istr(b"B3", b"nul &#0; here")
        return xlsx(sheet(rows))
    if v == "invalid-utf8":
        rows[2][1] = istr(b"B3", b"bad \xff\xfe byte")
        return xlsx(sheet(rows))
    if v == "dup-cell":
        rows[2].append(istr(b"B3", b"again"))
        return xlsx(sheet(rows))
    if v == "big-cell":
        rows[2][1] = istr(b"B3", pseudo_text(int(args[0]) * MB))
        return xlsx(sheet(rows))
    if v == "scanner":
        # Markup the fast XML scanner handles itself (prefixes, references, CDATA, CR LF, comments, single
        # quotes, a BOM), repeated over 1.5 MB so that 64 KiB read boundaries cut through all of them.
        cell = (b'<x:c r="A%d" t="inlineStr"><x:is><x:t>r%d caf&#233; &lt;&amp;&gt; &#x1F600;\r\n&quot;&apos;'
                b"</x:t></x:is></x:c><x:c r='B%d' t='inlineStr'><x:is><x:t><![CDATA[<b>]]&]]></x:t></x:is></x:c>")
        body = (b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>text</x:t></x:is></x:c>'
                b'<x:c r="B1" t="inlineStr"><x:is><x:t>cdata</x:t></x:is></x:c></x:row>')
        body += b"".join(b'<x:row r="%d">' % i + cell % (i, i, i) + b"</x:row><!-- c -->" for i in range(2, 7002))
        return xlsx(b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\r\n<x:worksheet '
                    b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' + body +
                    b"</x:sheetData></x:worksheet>")
    if v == "no-workbook":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "not a workbook")
        return buf.getvalue()
    if v == "truncated":
        data = xlsx(sheet(rows))
        return data[: len(data) // 2]
    raise SystemExit("gen.py: unknown xlsx variant " + v)


def main(argv):
    kind, args = argv[1], argv[2:]
    if kind in ("deep-array", "deep-object"):
        n = int(args[0])
        opened = len(args) > 1 and args[1] == "open"
        out.write(b'{"a":1}\n')
        if kind == "deep-array":
            body = b'{"x":' + b"[" * n + (b"" if opened else b"]" * n + b"}")
        else:
            body = b'{"a":' * n + b"1" + (b"" if opened else b"}" * n)
        out.write(body)
        if not opened:
            out.write(b'\n{"b":2}\n')
    elif kind == "big-line":
        size = int(args[0]) * MB
        bad = len(args) > 1 and args[1] == "bad-tail"
        out.write(b'{"a":1}\n{"text":"')
        out.write(b"x" * size)
        out.write(b'\xff"}\n' if bad else b'"}\n')
        out.write(b'{"b":2}\n')
    elif kind == "no-newline":
        out.write(b'{"text":"' + b"y" * (int(args[0]) * MB) + b'"}')
    elif kind == "garbage":
        out.write(lcg_bytes(int(args[0]), int(args[1]) * 1024))
    elif kind == "gzip-bomb":
        z = gzip.GzipFile(fileobj=out, mode="wb", mtime=0)
        chunk = b"\0" * MB
        for _ in range(int(args[0])):
            z.write(chunk)
        z.close()
    elif kind == "big-field-csv":
        out.write(b"prompt,completion\nhello,world\nbig,")
        out.write(b"z" * (int(args[0]) * MB))
        out.write(b"\nbye,now\n")
    elif kind == "long-row-csv":
        n = int(args[0]) * MB // 2
        out.write(b"a,b\n1,2\n" + b"x," * n + b"x\n3,4\n")
    elif kind == "many-lines":
        for i in range(int(args[0])):
            out.write(b'{"i":%d}\n' % i)
    elif kind == "zip-bomb":
        size = int(args[0]) * MB
        row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * size + b"</t></is></c></row>"
        sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 b"<sheetData>" + row + b"</sheetData></worksheet>")
        out.write(xlsx(sheet))
    elif kind == "xlsx":
        out.write(xlsx_variant(args[0], args[1:]))
    else:
        sys.stderr.write("gen.py: unknown kind %s\n" % kind)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
