#!/usr/bin/python3
"""Regenerates the XLSX regression fixtures in this folder (run: /usr/bin/python3 gen.py).

Hostile workbooks are written with zipfile from hand-made XML so that each holds exactly one trap; the
ordinary one is written by openpyxl (Debian's python3-openpyxl) as users' files are. All stay small in git.
"""
import datetime
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
      'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} {RNS}><sheets><sheet name="Sheet1" sheetId="1" '
      'r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
           'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
           'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet(rows_xml, prolog='<?xml version="1.0" encoding="UTF-8"?>'):
    return f'{prolog}<worksheet {NS}><sheetData>{rows_xml}</sheetData></worksheet>'


def write(name, sheet_xml, extra=None):
    path = os.path.join(HERE, name)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', ROOT_RELS)
        z.writestr('xl/workbook.xml', WB)
        z.writestr('xl/_rels/workbook.xml.rels', WB_RELS)
        z.writestr('xl/worksheets/sheet1.xml', sheet_xml)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    print(name, os.path.getsize(path), 'bytes')


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def main():
    header = '<row r="1">' + inline('A1', 'prompt') + inline('B1', 'completion') + '</row>'
    # XXE: an external entity that would read /etc/passwd.
    write('xxe.xlsx', sheet(header + '<row r="2">' + inline('A2', '&xxe;') + inline('B2', 'x') + '</row>',
                            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
                            '"file:///etc/passwd">]>'))
    # Billion laughs: nested internal entities.
    lol = '<!ENTITY lol "lol">' + ''.join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    write('billion_laughs.xlsx',
          sheet(header + '<row r="2">' + inline('A2', '&lol9;') + inline('B2', 'x') + '</row>',
                f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [{lol}]>'))
    # Zip bomb: 12 MB of one repeated row inflates ~300x (over the default max_ratio of 100).
    row = '<row>' + inline('A2', 'a') + inline('B2', 'b') + '</row>'
    write('zip_bomb.xlsx', sheet(header + row * (12 * 1024 * 1024 // len(row))))
    # A cell far to the right (column XFD = 16384 and beyond Excel's range).
    write('wide_row.xlsx', sheet(header + '<row r="2">' + inline('A2', 'a') + inline('XFE2', 'far') + '</row>'))
    # A shared-string index that does not exist, and a row with no `r` attributes at all.
    write('bad_shared_string.xlsx',
          sheet(header + '<row r="2"><c r="A2" t="s"><v>7</v></c></row><row><c t="s"><v>0</v></c><c t="s"><v>0</v>'
                '</c></row>'),
          {'xl/sharedStrings.xml': f'<sst {NS}><si><t>only</t></si></sst>'})
    # A truncated zip (the central directory is gone).
    with open(os.path.join(HERE, 'xxe.xlsx'), 'rb') as f:
        data = f.read()
    with open(os.path.join(HERE, 'truncated.xlsx'), 'wb') as f:
        f.write(data[: len(data) // 2])
    print('truncated.xlsx', len(data) // 2, 'bytes')

    # An ordinary workbook as openpyxl writes it (shared across the CSV/TSV/JSON equivalence checks).
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = 'examples'
    ws.append(['id', 'prompt', 'completion', 'score', 'when', 'ok'])
    ws.append(['007', 'Say "hi"', 'hi,\nthere', 0.5, datetime.datetime(2024, 2, 29, 13, 45, 10), True])
    ws.append(['008', 'café 東京 🙂', '', 3, datetime.date(1999, 12, 31), False])
    ws.append(['009', '#N/A', 'two', -1.25e-07, datetime.time(7, 5, 0), None])
    wb.create_sheet('notes').append(['note'])
    wb.save(os.path.join(HERE, 'openpyxl_basic.xlsx'))
    print('openpyxl_basic.xlsx', os.path.getsize(os.path.join(HERE, 'openpyxl_basic.xlsx')), 'bytes')


if __name__ == '__main__':
    main()
