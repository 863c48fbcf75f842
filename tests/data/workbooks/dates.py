"""Writes the workbooks of tests/it/data_sources.rs's date and formula
cases. Run from this folder:

    pip install xlsxwriter openpyxl && python3 dates.py

dates-1900.xlsx and dates-1904.xlsx (XlsxWriter): the same sheet in each
date system — a date, a time of day alone, a duration shown as [h]:mm:ss,
a date before 1900-03-01, and a date in the header row.
uncached.xlsx (openpyxl, which saves formulas without their values): a
formula cell no spreadsheet program has computed.
"""
import datetime

import openpyxl
import xlsxwriter


def dates(path, date_1904):
    book = xlsxwriter.Workbook(path, {"date_1904": date_1904})
    book.set_properties({"created": datetime.datetime(2024, 1, 15, 9, 0, 0)})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    clock = book.add_format({"num_format": "hh:mm:ss"})
    hours = book.add_format({"num_format": "[h]:mm:ss"})
    s = book.add_worksheet("Dates")
    s.write_row(0, 0, ["what", "when"])
    s.write_datetime(0, 2, datetime.datetime(2021, 1, 1), day)
    rows = [
        ("day", datetime.datetime(2023, 4, 1), day),
        ("time", datetime.time(12, 30, 0), clock),
        ("duration", datetime.timedelta(hours=36), hours),
    ]
    for i, (what, when, fmt) in enumerate(rows):
        s.write(i + 1, 0, what)
        s.write_datetime(i + 1, 1, when, fmt)
        s.write_number(i + 1, 2, i)
    if not date_1904:
        s.write(4, 0, "early")
        s.write_datetime(4, 1, datetime.datetime(1900, 2, 28), day)
        s.write_number(4, 2, 3)
    book.close()


dates("dates-1900.xlsx", False)
dates("dates-1904.xlsx", True)

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Model"
ws.append(["ticker", "revenue", "next"])
ws.append(["BABA", 8686.9, "=B2*1.08"])
wb.save("uncached.xlsx")
