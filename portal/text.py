"""Text helpers shared by every module: NFC normalisation and Vietnamese folding."""

from __future__ import annotations

import unicodedata

# 'đ' and 'Đ' have no Unicode decomposition, so stripping combining marks leaves them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ``text`` and remove every diacritic, đ → d included, for loose matching
    ("Học nghề điện" and "hoc nghe dien" fold alike; so do "Hòa" and "Hoà").
    Marks of other scripts (Khmer, Cham, Tai Viet) are left alone."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS).casefold())
    # Only the Latin combining block: Khmer, Cham and Tai Viet vowel signs are kept.
    stripped = "".join(ch for ch in decomposed if not "\u0300" <= ch <= "\u036f")
    return unicodedata.normalize("NFC", stripped)
