"""Writes the workbooks of a report family whose rows are one sheet and
whose members read another (tests/it/families.rs). Run from this folder:

    pip install xlsxwriter && python3 family.py

family.xlsx: sheet Companies (the family's rows: ticker, name) and sheet
Prices (ticker, close). family-edited.xlsx is the same workbook with one
row of Companies edited (BIDU's name), as an analyst would save it;
family-prices.xlsx has one close of Prices edited (BABA's).
"""
import datetime

import xlsxwriter

companies = [("BABA", "Alibaba"), ("BIDU", "Baidu"), ("TCEHY", "Tencent")]
prices = [("BABA", 79.2), ("BIDU", 104.5), ("TCEHY", 38.9)]


def write(path, companies, prices=prices):
    book = xlsxwriter.Workbook(path)
    book.set_properties({"created": datetime.datetime(2024, 1, 15, 9, 0, 0)})
    s = book.add_worksheet("Companies")
    s.write_row(0, 0, ["ticker", "name"])
    for i, row in enumerate(companies):
        s.write_row(i + 1, 0, row)
    p = book.add_worksheet("Prices")
    p.write_row(0, 0, ["ticker", "close"])
    for i, (t, close) in enumerate(prices):
        p.write(i + 1, 0, t)
        p.write_number(i + 1, 1, close)
    book.close()


write("family.xlsx", companies)
write("family-edited.xlsx", [(t, "Baidu, Inc." if t == "BIDU" else n) for t, n in companies])
write("family-prices.xlsx", companies, [(t, 81.0 if t == "BABA" else c) for t, c in prices])
