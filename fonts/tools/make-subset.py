#!/usr/bin/env python3
"""Builds the CJK font subsets folio embeds (fonts/*.otf).

Source: Noto Serif CJK and Noto Sans CJK (SIL Open Font License 1.1), as shipped
by Debian's fonts-noto-cjk package. The subset keeps every GB2312 character,
CJK and full-width punctuation, general punctuation and Latin, which covers
Simplified Chinese reports. Re-run after changing the character set:

    apt-get install -y fonts-noto-cjk && pip install fonttools
    python3 fonts/tools/make-subset.py
"""
import os
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection

SRC = "/usr/share/fonts/opentype/noto"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FACES = [
    ("NotoSerifCJK-Regular.ttc", "FolioSerifCJK-Regular.otf"),
    ("NotoSerifCJK-Bold.ttc", "FolioSerifCJK-Bold.otf"),
    ("NotoSansCJK-Regular.ttc", "FolioSansCJK-Regular.otf"),
    ("NotoSansCJK-Bold.ttc", "FolioSansCJK-Bold.otf"),
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
        out = os.path.join(OUT, dst)
        subset.save_font(font, out, opts)
        print(f"{dst}: {os.path.getsize(out) // 1024} KiB")


if __name__ == "__main__":
    main()
