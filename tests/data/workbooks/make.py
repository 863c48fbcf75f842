"""Writes the workbooks folio's tests read. Run from this folder:

    pip install xlsxwriter odfpy xlwt && python3 make.py

model.xlsx is what an analyst's model looks like: two sheets, a merged
two-row header, dates, formulas (with the values a spreadsheet program
caches, as XlsxWriter stores them), a #DIV/0! cached from a formula, a table
that starts at B3 with a named range over it. model.ods and model.xls hold
the first sheet's table in the other two formats.
"""
import datetime

import xlsxwriter

book = xlsxwriter.Workbook("model.xlsx")
bold = book.add_format({"bold": True, "align": "center"})
date = book.add_format({"num_format": "yyyy-mm-dd"})
pct = book.add_format({"num_format": "0.0%"})

# Sheet 1: a yearly model. Row 1 groups the columns (merged), row 2 names them.
s = book.add_worksheet("Model")
s.write("A1", "Ticker", bold)
s.merge_range("B1:D1", "营业收入", bold)
s.merge_range("E1:F1", "Margin", bold)
s.write_row("B2", ["2022A", "2023E", "2024E"], bold)
s.write_row("E2", ["2023E", "2024E"], bold)
s.write("G1", "Reported", bold)
rows = [
    ("BABA", 8530.6, 8686.9, 9410.2, 0.121, 0.134, datetime.date(2023, 5, 18)),
    ("BIDU", 1236.8, 1344.2, 1452.0, 0.152, 0.161, datetime.date(2023, 5, 16)),
    ("TCEHY", 5545.5, 6090.0, 6650.5, 0.0, 0.0, datetime.date(2023, 5, 17)),
]
for i, (t, a, b, c, m1, m2, d) in enumerate(rows):
    r = i + 2
    s.write(r, 0, t)
    s.write_number(r, 1, a)
    s.write_number(r, 2, b)
    # 2024E as a formula of 2023E, with its cached value.
    s.write_formula(r, 3, f"=C{r + 1}*{c / b:.6f}", None, round(b * round(c / b, 6), 1))
    s.write(r, 4, m1, pct)
    s.write(r, 5, m2, pct)
    s.write_datetime(r, 6, datetime.datetime.combine(d, datetime.time()), date)
# A margin computed from an empty cell: the spreadsheet caches #DIV/0!.
s.write_formula(4, 4, "=H5/I5", pct, "#DIV/0!")

# Sheet 2: quarterly data in a table that starts at B3, under a title.
q = book.add_worksheet("Quarterly")
q.write("B1", "Quarterly revenue (CNY bn)", bold)
q.write_row("B3", ["quarter", "revenue", "growth"], bold)
quarters = [("2022Q1", 2040.5, 0.09), ("2022Q2", 2055.6, 0.0), ("2022Q3", 2071.8, 0.03), ("2022Q4", 2477.6, 0.02), ("2023Q1", 2087.5, 0.02)]
for i, (k, v, g) in enumerate(quarters):
    q.write(3 + i, 1, k)
    q.write_number(3 + i, 2, v)
    q.write_formula(3 + i, 3, f"={g}", pct, g)
q.write("B10", "Source: illustrative numbers")
book.define_name("QuarterTable", "=Quarterly!$B$3:$D$8")
book.close()

# The first sheet's plain table in .ods and .xls.
plain = [("ticker", "revenue", "reported")] + [(t, a, d) for t, a, _, _, _, _, d in rows]

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

doc = OpenDocumentSpreadsheet()
table = Table(name="Model")
for row in plain:
    tr = TableRow()
    for v in row:
        if isinstance(v, float):
            cell = TableCell(valuetype="float", value=v)
        elif isinstance(v, datetime.date):
            cell = TableCell(valuetype="date", datevalue=v.isoformat())
        else:
            cell = TableCell(valuetype="string")
        cell.addElement(P(text=str(v)))
        tr.addElement(cell)
    table.addElement(tr)
doc.spreadsheet.addElement(table)
doc.save("model.ods")

import xlwt

xb = xlwt.Workbook()
xs = xb.add_sheet("Model")
dstyle = xlwt.easyxf(num_format_str="YYYY-MM-DD")
for r, row in enumerate(plain):
    for c, v in enumerate(row):
        if isinstance(v, datetime.date):
            xs.write(r, c, v, dstyle)
        else:
            xs.write(r, c, v)
xb.save("model.xls")
