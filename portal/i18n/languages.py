"""The interface languages the portal offers, and how each one falls back.

The *interface language* chooses the message catalogue; the *formatting locale* is the CLDR
locale Babel uses for dates and numbers. CLDR knows Vietnamese, English and Khmer well, but
not Ede, Jrai, Bahnar, Cham, Tai Dam, Hmong, Mnong or Tày, so those languages format dates and
numbers the Vietnamese way while their messages come from their own catalogue, falling back
message by message along ``fallback`` (for Ede: rad → vi → en).

Codes are BCP 47 (ISO 639-3 where ISO 639-1 has none). Mnong is ``cmo`` (Central Mnong);
``mnc`` would be Manchu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One interface language: its code, its own name and how to format and fall back."""

    code: str
    endonym: str  # the language's name in the language itself, as shown in the switcher
    english: str
    script: str  # ISO 15924: Latn, Khmr, Cham, Tavt
    formatting_locale: str  # a CLDR locale that Babel has data for
    fallback: tuple[str, ...]  # languages tried, in order, for a message missing here
    # False while the catalogue holds seed translations that native speakers have not
    # checked; pages in the language then say that untranslated text is shown in Vietnamese.
    reviewed: bool = True

    @property
    def chain(self) -> tuple[str, ...]:
        """This language followed by its fallbacks."""
        return (self.code, *self.fallback)


_MINORITY = ("vi", "en")

# Endonyms, as each language's speakers write its name (checked 2026):
#   Klei Êđê     vi.wikipedia "Tiếng Ê Đê" (klei: word, speech)
#   Tơlơi Jrai   en.wikipedia "Jarai language" (tơlơi: word, speech)
#   Bahnar       vi.wikipedia "Tiếng Ba Na" (the Bahnar spelling; Vietnamese writes "Ba Na")
#   ꨌꩌ          "Cam" in Cham script: en.wikipedia "Cham language"
#   ꪼꪕꪒꪾ         "Tai Dam" in Tai Viet: omniglot.com/writing/taidam.htm,
#                r12a.github.io/scripts/taiviet/blt.html
#   Hmôngz       Vietnam's Hmong orthography of 1961 (vi.wikipedia "Chữ Hmông Việt":
#                "Ntơưr Hmôngz Viêx Nangz"); RPA, used abroad, writes "Hmoob"
#   Mnông        the Vietnamese-alphabet spelling used in Vietnam; Cambodia writes Bunong
#   Tiểng Tày    en.wikipedia "Tày language" (tiểng = language)
# ``reviewed=False`` until native speakers have checked the catalogue and the name: see
# translations/README.md.

LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("vi", "Tiếng Việt", "Vietnamese", "Latn", "vi", ("en",)),
        # English is the source language: a message missing in English shows its msgid.
        Language("en", "English", "English", "Latn", "en", ()),
        Language("km", "ខ្មែរ", "Khmer", "Khmr", "km", _MINORITY, reviewed=False),
        Language("rad", "Klei Êđê", "Ede", "Latn", "vi", _MINORITY, reviewed=False),
        Language("jra", "Tơlơi Jrai", "Jrai", "Latn", "vi", _MINORITY, reviewed=False),
        Language("bdq", "Bahnar", "Bahnar", "Latn", "vi", _MINORITY, reviewed=False),
        Language("cjm", "ꨌꩌ", "Cham", "Cham", "vi", _MINORITY, reviewed=False),
        Language("blt", "ꪼꪕꪒꪾ", "Tai Dam", "Tavt", "vi", _MINORITY, reviewed=False),
        Language("hmn", "Hmôngz", "Hmong", "Latn", "vi", _MINORITY, reviewed=False),
        Language("cmo", "Mnông", "Mnong", "Latn", "vi", _MINORITY, reviewed=False),
        Language("tyz", "Tiểng Tày", "Tày", "Latn", "vi", _MINORITY, reviewed=False),
    )
}

DEFAULT_LANGUAGE = "vi"

_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def parse(tag: str | None) -> Language | None:
    """The offered language for a BCP 47 tag such as ``km-KH`` or ``rad``, or ``None`` when
    the tag is malformed or names a language the portal does not offer."""
    if not tag or len(tag) > 35 or not _TAG.match(tag.strip()):
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return LANGUAGES.get(primary)


def best_match(accept_language: list[tuple[str, float]]) -> Language | None:
    """The first offered language in an ``Accept-Language`` list (already sorted by quality)."""
    for tag, quality in accept_language:
        if quality <= 0:
            continue
        language = parse(tag)
        if language is not None:
            return language
    return None
