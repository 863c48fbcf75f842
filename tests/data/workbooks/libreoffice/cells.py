"""Workbooks written by LibreOffice, and what LibreOffice shows in them.

Run from this folder (Debian: apt-get install libreoffice-calc-nogui):

    python3 cells.py

It writes lo-1900.fods and lo-1904.fods by hand (flat ODS: the same cells,
one document in each date system), then has LibreOffice itself open each,
save it as .xlsx, .ods and .xls (its own writers: cached formula values,
date1904, times and durations as it stores them), and export the sheet as
CSV with every cell as it is shown (lo-*.shown.csv). tests/it/workbooks_lo.rs
reads every cell of the six workbooks through folio and compares it with the
shown text. Made with LibreOffice 7.4.7.2 (Debian 12).
"""
import os
import subprocess

ROWS = [
    # label, value-type, office attrs, style, formula
    ("plain", "float", 'office:value="1234.5"', None, None),
    ("many decimals", "float", 'office:value="0.1234567"', None, None),
    ("long decimals", "float", 'office:value="112.3456789"', None, None),
    ("integer", "float", 'office:value="42"', None, None),
    ("negative", "float", 'office:value="-7.25"', None, None),
    ("tiny", "float", 'office:value="0.000001234"', None, None),
    ("percent", "percentage", 'office:value="0.121"', "pct", None),
    ("date", "date", 'office:date-value="2023-04-01"', "day", None),
    ("date and time", "date", 'office:date-value="2023-04-01T12:30:00"', "stamp", None),
    ("early date", "date", 'office:date-value="1900-02-28"', "day", None),
    ("time", "time", 'office:time-value="PT12H30M00S"', "clock", None),
    ("duration", "time", 'office:time-value="PT36H00M00S"', "hours", None),
    ("formula", "float", 'office:value="0"', None, "of:=[.B2]*2"),
    ("date formula", "date", 'office:date-value="2023-04-02"', "day", "of:=[.B9]+1"),
    ("text", "string", "", None, None),
    ("boolean", "boolean", 'office:boolean-value="true"', "yes", None),
    ("division by zero", "float", 'office:value="0"', None, "of:=1/0"),
]

TEXT = {"text": "营业收入"}


def cell(kind, attrs, style, formula, label):
    s = f' table:style-name="{style}"' if style else ""
    f = f' table:formula="{formula}"' if formula else ""
    body = f"<text:p>{TEXT[label]}</text:p>" if kind == "string" else ""
    return f'<table:table-cell office:value-type="{kind}" {attrs}{s}{f}>{body}</table:table-cell>'


def document(null_date):
    rows = "\n".join(
        f'<table:table-row><table:table-cell office:value-type="string"><text:p>{label}</text:p></table:table-cell>{cell(k, a, s, f, label)}</table:table-row>'
        for label, k, a, s, f in ROWS
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:percentage-style style:name="N1"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
 <number:date-style style:name="N2"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
 <number:date-style style:name="N3"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>
 <number:time-style style:name="N4"><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:time-style>
 <number:time-style style:name="N5" number:truncate-on-overflow="false"><number:hours/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:time-style>
 <number:boolean-style style:name="N6"><number:boolean/></number:boolean-style>
 <style:style style:name="yes" style:family="table-cell" style:data-style-name="N6"/>
 <style:style style:name="pct" style:family="table-cell" style:data-style-name="N1"/>
 <style:style style:name="day" style:family="table-cell" style:data-style-name="N2"/>
 <style:style style:name="stamp" style:family="table-cell" style:data-style-name="N3"/>
 <style:style style:name="clock" style:family="table-cell" style:data-style-name="N4"/>
 <style:style style:name="hours" style:family="table-cell" style:data-style-name="N5"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:calculation-settings><table:null-date table:date-value="{null_date}"/></table:calculation-settings>
<table:table table:name="Cells">
<table:table-row><table:table-cell office:value-type="string"><text:p>what</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>value</text:p></table:table-cell></table:table-row>
{rows}
</table:table>
</office:spreadsheet></office:body></office:document>
"""


for name, null in [("lo-1900", "1899-12-30"), ("lo-1904", "1904-01-01")]:
    with open(f"{name}.fods", "w", encoding="utf-8") as f:
        f.write(document(null))

CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false"
# merged.fods (by hand, beside this file): a header merged over two columns
# and a data cell merged over two, each covering a cell that still holds
# text from before the merge, as LibreOffice keeps it (hidden on screen;
# its CSV export prints it, so no .shown.csv for this one).
subprocess.run(["soffice", "--headless", "--convert-to", "ods", "merged.fods"], check=True)
subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "merged.fods"], check=True)
for fmt in ["xlsx", "ods", "xls"]:
    subprocess.run(["soffice", "--headless", "--convert-to", fmt, "lo-1900.fods", "lo-1904.fods"], check=True)
subprocess.run(["soffice", "--headless", "--convert-to", CSV, "--outdir", "shown", "lo-1900.fods", "lo-1904.fods"], check=True)
for name in ["lo-1900", "lo-1904"]:
    os.replace(f"shown/{name}.csv", f"{name}.shown.csv")
os.rmdir("shown")
