#!/usr/bin/env python3
"""Builds the CJK font subsets folio embeds (fonts/{serif,sans}/fonts/*.ttf,
each pair in a crate of its own).

Source: Noto Serif CJK and Noto Sans CJK (SIL Open Font License 1.1), as shipped
by Debian's fonts-noto-cjk package. The subset keeps every GB2312 character,
CJK and full-width punctuation, general punctuation and Latin, which covers
Simplified Chinese reports. The subsets are converted from CFF to TrueType
outlines: PDF export subsets TrueType fonts about a third faster, which is
most of the cost of an incremental rebuild. Re-run after changing the
character set:

    apt-get install -y fonts-noto-cjk && pip install fonttools
    python3 fonts/tools/make-subset.py
"""
import io
import os
import sys
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SRC = "/usr/share/fonts/opentype/noto"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FACES = [
    ("NotoSerifCJK-Regular.ttc", "serif/fonts/FolioSerifCJK-Regular.ttf"),
    ("NotoSerifCJK-Bold.ttc", "serif/fonts/FolioSerifCJK-Bold.ttf"),
    ("NotoSansCJK-Regular.ttc", "sans/fonts/FolioSansCJK-Regular.ttf"),
    ("NotoSansCJK-Bold.ttc", "sans/fonts/FolioSansCJK-Bold.ttf"),
]


def gb2312():
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def charset():
    chars = gb2312()
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F),
              (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF),
              (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    return "".join(sorted(chars))


def sc_index(path):
    """Index of the Simplified Chinese face inside a Noto CJK collection."""
    for i, font in enumerate(TTCollection(path).fonts):
        if " SC" in font["name"].getDebugName(1):
            return i
    sys.exit(f"no SC face in {path}")


def to_truetype(font):
    """CFF outlines to quadratic TrueType outlines (glyf/loca)."""
    order = font.getGlyphOrder()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    glyphs = font.getGlyphSet()
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font.sfntVersion = "\000\001\000\000"
    font["head"].glyphDataFormat = 0


def main():
    text = charset()
    for src, dst in FACES:
        path = os.path.join(SRC, src)
        opts = subset.Options()
        opts.font_number = sc_index(path)
        opts.layout_features = ["*"]
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        font = subset.load_font(path, opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        # Convert from a freshly loaded copy, so glyph bounds get computed.
        buf = io.BytesIO()
        subset.save_font(font, buf, opts)
        buf.seek(0)
        font = TTFont(buf)
        to_truetype(font)
        out = os.path.join(OUT, dst)
        font.save(out)
        print(f"{dst}: {os.path.getsize(out) // 1024} KiB")


if __name__ == "__main__":
    main()
