"""Writes the flagship's two non-text data files. Run from the repository root:

    pip install xlsxwriter && python3 docs/data/make_flagship_data.py

content/data/cloud.xlsx  the illustrative cloud revenue of chapter 6, as an
                         analyst's workbook: 2024E revenue is a formula of
                         2023E and its growth (the cached value is stored).
content/data/research.db a SQLite database with the 2023 release calendar,
                         which content/data/company_releases.sql queries for
                         each one-page note (content/notes.md).
"""
import csv
import os
import sqlite3

import xlsxwriter

book = xlsxwriter.Workbook("content/data/cloud.xlsx")
pct = book.add_format({"num_format": "0.0%"})
bold = book.add_format({"bold": True})
sheet = book.add_worksheet("云业务")
sheet.write_row(0, 0, ["year", "revenue", "growth"], bold)
rows = [("2019A", 355.6, 0.624), ("2020A", 555.2, 0.561), ("2021A", 745.6, 0.343), ("2022A", 772.1, 0.036), ("2023E", 835.0, 0.081)]
for i, (y, r, g) in enumerate(rows, start=1):
    sheet.write(i, 0, y)
    sheet.write_number(i, 1, r)
    sheet.write_number(i, 2, g, pct)
# 2024E: revenue from 2023E and the growth assumed.
sheet.write(6, 0, "2024E")
sheet.write_number(6, 2, 0.160, pct)
sheet.write_formula(6, 1, "=ROUND(B6*(1+C7),1)", None, round(835.0 * 1.16, 1))
notes = book.add_worksheet("说明")
notes.write(0, 0, "示意数据，非真实财务数据；E 为示例预测。")
book.close()

if os.path.exists("content/data/research.db"):
    os.remove("content/data/research.db")
db = sqlite3.connect("content/data/research.db")
db.execute("CREATE TABLE releases (day TEXT NOT NULL, org TEXT NOT NULL, product TEXT NOT NULL, region TEXT NOT NULL)")
with open("content/data/releases.csv", encoding="utf-8") as f:
    db.executemany("INSERT INTO releases VALUES (?, ?, ?, ?)", [(r["date"], r["org"], r["product"], r["region"]) for r in csv.DictReader(f)])
db.commit()
db.execute("VACUUM")
db.close()
