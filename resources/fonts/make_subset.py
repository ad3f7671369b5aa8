"""Build GXCareSansSC-Regular.ttf: Noto Sans CJK SC subset and converted to TrueType outlines.

Run once by hand (the result is committed); needs fontTools (a dev dependency):

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto
    python resources/fonts/make_subset.py noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

TrueType (glyf) outlines matter because reportlab can embed only those in PDFs; Noto Sans
CJK ships CFF outlines, so the cubic curves are turned into quadratic ones with cu2qu.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FAMILY = "GXCare Sans SC"
OUT = Path(__file__).with_name("GXCareSansSC-Regular.ttf")
# cu2qu tolerance in font units (the em is 1000): invisible at any UI or print size.
MAX_ERR = 1.0

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: · (ethnic names), °, ×, ÷, accented letters in pinyin
    (0x0100, 0x017F),  # Latin Extended-A (pinyin tone marks ā ē ī ō ū)
    (0x01CD, 0x01DC),  # pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
    (0x2010, 0x2027),  # dashes, quotes, ellipsis, bullet
    (0x2030, 0x203B),  # per mille, primes, reference mark
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2160, 0x217F),  # Roman numerals used in form headings
    (0x2190, 0x2199),  # arrows
    (0x2460, 0x24FF),  # circled numbers
    (0x25A0, 0x25FF),  # geometric shapes (■ □ ● ○ ▲)
    (0x2605, 0x2606),  # ★ ☆
    (0x2713, 0x2714),  # check marks
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈠ ㊣)
    (0x3400, 0x4DBF),  # CJK Extension A: rare characters in people's and place names
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs, the whole GB 18030 block
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width and half-width forms
]


def unicodes() -> list[int]:
    return [cp for start, end in RANGES for cp in range(start, end + 1)]


def pick_sc(ttc: Path) -> TTFont:
    for font in TTCollection(str(ttc)).fonts:
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return font
    raise SystemExit("no Noto Sans CJK SC face in " + str(ttc))


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca with quadratic curves (as fontTools' otf2ttf does)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: 30,000 of them would only add weight
    post.extraNames = []
    post.mapping = {}


def rename(font: TTFont) -> None:
    """A family name of its own, so the subset never shadows a full Noto install."""
    name = font["name"]
    for record in list(name.names):
        if record.nameID in (1, 3, 4, 6, 16, 17):
            name.removeNames(nameID=record.nameID)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName("Regular", 2, 3, 1, 0x409)
    name.setName(f"{FAMILY} Regular; subset of Noto Sans CJK SC 2.004", 3, 3, 1, 0x409)
    name.setName(f"{FAMILY} Regular", 4, 3, 1, 0x409)
    name.setName("GXCareSansSC-Regular", 6, 3, 1, 0x409)


def main(argv: list[str]) -> int:
    font = pick_sc(Path(argv[1]))
    options = subset.Options()
    # Without layout features the closure stays at one glyph per character: the locl/vert
    # alternates of the JP/KR/TC faces would add 18,000 glyphs nobody sees in a Chinese UI.
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    cff_to_glyf(font)
    rename(font)
    font.save(str(OUT))
    check = TTFont(str(OUT))
    cmap = check.getBestCmap()
    missing = [cp for cp in range(0x4E00, 0x9FA6) if cp not in cmap]
    size = OUT.stat().st_size
    sys.stdout.write(f"{OUT.name}: {size / 1e6:.1f} MB, {len(cmap)} characters, {len(check.getGlyphOrder())} glyphs, "
                     f"{len(missing)} of U+4E00-U+9FA5 missing\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
