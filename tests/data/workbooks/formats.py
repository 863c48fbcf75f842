"""formats.xlsx (XlsxWriter): one value per row under a number format an
analyst's workbook holds, and formats.shown.csv: LibreOffice's CSV export of
the sheet as it shows each cell. tests/it/workbooks_lo.rs compares folio's
`data.formats.shown` with it. A second sheet holds a fraction format,
which folio refuses to render. Run from this folder:

    pip install xlsxwriter && python3 formats.py   # needs soffice (LibreOffice)
"""
import datetime
import os
import subprocess

import xlsxwriter

ROWS = [
    ("thousands", 1234567.891, "#,##0.00"),
    ("percent", 0.121, "0.0%"),
    ("whole percent", 0.125, "0%"),
    ("yuan", 8530.6, '"¥"#,##0.00'),
    ("negative in brackets", -1234.5, "#,##0.00_);(#,##0.00)"),
    ("positive in brackets format", 1234.5, "#,##0.00_);(#,##0.00)"),
    ("scientific", 12345.678, "0.00E+00"),
    ("small scientific", 0.00012, "0.00E+00"),
    ("in thousands", 1234567, "#,##0,"),
    ("zero as dash", 0, '0.0;-0.0;"-"'),
    ("unit", 5620, '0.0"亿元"'),
    ("chinese date", datetime.date(2023, 4, 1), 'yyyy"年"m"月"d"日"'),
    ("short date", datetime.date(2023, 4, 1), "d-mmm-yy"),
    ("us date", datetime.date(2023, 4, 1), "m/d/yyyy"),
    ("month", datetime.date(2023, 4, 1), "mmmm yyyy"),
    ("twelve hours", datetime.time(18, 5), "h:mm AM/PM"),
    ("elapsed", datetime.timedelta(hours=36, minutes=5), "[h]:mm:ss"),
    ("hundredths", datetime.timedelta(seconds=61.25), "mm:ss.00"),
    ("text", "营业收入", "@"),
    ("integer general", 42, "General"),
    ("decimal general", 0.1234567, "General"),
]

book = xlsxwriter.Workbook("formats.xlsx")
book.set_properties({"created": datetime.datetime(2024, 1, 15, 9, 0, 0)})
s = book.add_worksheet("Formats")
s.write_row(0, 0, ["what", "value"])
for i, (what, value, code) in enumerate(ROWS):
    fmt = book.add_format({"num_format": code})
    s.write(i + 1, 0, what)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        if isinstance(value, datetime.date):
            value = datetime.datetime.combine(value, datetime.time())
        s.write_datetime(i + 1, 1, value, fmt)
    else:
        s.write(i + 1, 1, value, fmt)
f = book.add_worksheet("Fractions")
f.write_row(0, 0, ["what", "value"])
f.write(1, 0, "fraction")
f.write_number(1, 1, 1.5, book.add_format({"num_format": "# ?/?"}))
book.close()

CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false"
subprocess.run(["soffice", "--headless", "--convert-to", CSV, "--outdir", "shown", "formats.xlsx"], check=True)
os.replace("shown/formats.csv", "formats.shown.csv")
os.rmdir("shown")
