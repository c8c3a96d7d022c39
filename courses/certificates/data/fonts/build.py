"""Rebuild the static font subsets of this folder from the variable Noto fonts on PyPI.

Run by hand, never at run time: ``pip install fontpkg-noto-sans fontpkg-noto-sans-khmer
fonttools`` then ``python courses/certificates/data/fonts/build.py``. Static instances load in
milliseconds where fpdf2 needs seconds to instance a variable font; the subsets keep the
repository small. The fonts are under the SIL Open Font License 1.1 (OFL.txt beside this file).
"""

from __future__ import annotations

from pathlib import Path

import fontpkg
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent

# Latin with Vietnamese (and the Latin-based minority orthographies), punctuation, the dong sign.
LATIN = "U+0000-024F,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20AB,U+20AC,U+2116,U+2122,U+25CC"
# Khmer, Khmer symbols, joiners and the dotted circle that shaping inserts.
KHMER = "U+0020,U+002D,U+00A0,U+1780-17FF,U+19E0-19FF,U+200B-200D,U+2013,U+2014,U+25CC"


def build(family: str, unicodes: str, weight: int, out: str) -> None:
    font = TTFont(fontpkg.path(family))
    font = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100})
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    font.save(HERE / out)


if __name__ == "__main__":
    build("Noto Sans", LATIN, 400, "NotoSans-Regular.ttf")
    build("Noto Sans", LATIN, 700, "NotoSans-Bold.ttf")
    build("Noto Sans Khmer", KHMER, 400, "NotoSansKhmer-Regular.ttf")
    build("Noto Sans Khmer", KHMER, 700, "NotoSansKhmer-Bold.ttf")
