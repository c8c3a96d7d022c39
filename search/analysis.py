"""Text analysis for every language of the portal.

One tokenizer serves all scripts, so a query is always cut the way the field it searches was
cut, whatever language the reader types in:

* NFC first: text typed on a phone in decomposed form (NFD) and precomposed text index alike.
* Khmer, Lao, Thai and Myanmar are written without spaces between words: runs of those scripts
  go to ICU's dictionary word breaker (icu4py).
* Everything else (Vietnamese, the Latin-script minority languages, English, Cham, Tai Viet
  ...) is cut into runs of letters, combining marks and digits. Keeping the marks matters:
  Whoosh's default ``\\w+`` splits Cham and Tai Viet words at every dependent vowel sign,
  because Python's ``\\w`` does not match combining marks.

Then, per field:

* ``folded`` (every language): lower case, Latin diacritics removed, đ/Đ → d (Unicode does not
  decompose đ), so "hoc nghe dien" finds "Học nghề điện". Marks of other scripts are letters
  there and stay.
* ``exact``: lower case with the diacritics kept, and the Vietnamese tone written as a suffix so
  that where the tone mark sits does not matter: "Hòa" (old style) and "Hoà" (new style) give
  the same term, "học" and "hóc" do not. Searching both fields makes exact matches rank first.
* ``english``: the folded chain plus Porter stemming, filled only for English documents.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from icu4py.breakers import CharacterBreaker, WordBreaker
from whoosh.analysis import Composable, Filter, LowercaseFilter, StemFilter, Token, Tokenizer

# Scripts written without spaces between words, broken with ICU's dictionaries.
_DICTIONARY_SCRIPTS = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0xA9E0, 0xA9FF),  # Myanmar extended-B
    (0xAA60, 0xAA7F),  # Myanmar extended-A
)
# No letter, mark or digit lies beyond this code point (Unicode 15: CJK extension H ends at
# U+323AF; planes 14-16 hold tags, selectors and private use).
_LAST_LETTER = 0x323AF
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


def _ranges(codepoints: list[int]) -> str:
    """A regular-expression character class body for a sorted list of code points."""
    parts: list[str] = []
    start = prev = codepoints[0]
    for cp in [*codepoints[1:], -1]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
        start = prev = cp
    return "".join(parts)


def _build_pattern() -> re.Pattern[str]:
    dictionary: list[int] = []
    word: list[int] = []
    for cp in range(_LAST_LETTER + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        category = unicodedata.category(chr(cp))
        if category[0] not in "LMN":
            continue
        if any(lo <= cp <= hi for lo, hi in _DICTIONARY_SCRIPTS):
            dictionary.append(cp)
        else:
            word.append(cp)
    return re.compile(f"(?P<dict>[{_ranges(dictionary)}]+)|(?P<word>[{_ranges(word)}]+)")


_PATTERN = _build_pattern()


def normalise(text: str) -> str:
    """NFC, with control and format characters turned into spaces."""
    text = unicodedata.normalize("NFC", text)
    if text.isprintable():
        return text
    return "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c != "\n" else c
        for c in text
    ).replace("\n", " ")


def words(text: str, *, parts: bool = False) -> Iterator[tuple[str, int, int, bool]]:
    """``(word, start, end, is_part)`` for each word of (NFC) ``text``, offsets into
    ``text``. With ``parts``, a Khmer compound is followed by the dictionary words it is made
    of (``is_part``): ICU keeps "ភាសាខ្មែរ" (Khmer language) as
    one word, and a reader searching for "ខ្មែរ" must find it."""
    for match in _PATTERN.finditer(text):
        if match.lastgroup == "word":
            yield match.group(), match.start(), match.end(), False
            continue
        run, offset = match.group(), match.start()
        # Only BMP characters reach ICU here, so its UTF-16 offsets are string offsets.
        for start, end in WordBreaker(run, "km").segments():
            piece = run[start:end]
            if any(unicodedata.category(c)[0] in "LN" for c in piece):
                yield piece, offset + start, offset + end, False
                if parts and "\u1780" <= piece[0] <= "\u17ff":
                    for part, a, b in _parts(piece, 0, MAX_COMPOUND_DEPTH):
                        yield part, offset + start + a, offset + start + b, True


MAX_COMPOUND_DEPTH = 2
MIN_PART_CLUSTERS = 2  # one cluster alone is always "one word" to ICU: no evidence


def _one_word(text: str) -> bool:
    """Whether ICU's dictionary takes ``text`` as a single word (unknown strings are cut
    into clusters)."""
    segments = list(WordBreaker(text, "km").segments())
    return len(segments) == 1


@functools.lru_cache(maxsize=16384)
def _parts(word: str, offset: int, depth: int) -> tuple[tuple[str, int, int], ...]:
    """The dictionary words a compound is made of, split at the first cluster boundary where
    both sides are words of at least two clusters, then each side again (``depth`` levels)."""
    if depth <= 0:
        return ()
    ends = [end for _, end in CharacterBreaker(word, "km").segments()]
    for boundary in ends[MIN_PART_CLUSTERS - 1 : len(ends) - MIN_PART_CLUSTERS]:
        head, tail = word[:boundary], word[boundary:]
        if _one_word(head) and _one_word(tail):
            found: list[tuple[str, int, int]] = []
            for piece, start in ((head, offset), (tail, offset + boundary)):
                found.append((piece, start, start + len(piece)))
                found.extend(_parts(piece, start, depth - 1))
            return tuple(found)
    return ()


def _is_latin(char: str) -> bool:
    cp = ord(char)
    return cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF or 0x2C60 <= cp <= 0x2C7F or 0xA720 <= cp <= 0xA7FF


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without the diacritics of Latin letters; đ → d, ƀ → b. Other scripts
    unchanged."""
    word = word.lower()
    if word.isascii():
        return word
    out: list[str] = []
    latin = False
    # đ (Vietnamese) and ƀ (Ede, Jrai, Bahnar) have no Unicode decomposition.
    for char in unicodedata.normalize("NFD", word.replace("đ", "d").replace("ƀ", "b")):
        if unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            if latin:
                continue
        else:
            latin = _is_latin(char)
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=65536)
def tone_key(word: str) -> str:
    """Lower case with diacritics kept, the Vietnamese tone moved to a suffix (``hoa|2``), so
    that "hòa" and "hoà" are one term and "học" and "hóc" are two."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    kept: list[str] = []
    latin = False  # whether the letter the marks belong to is Latin
    for char in decomposed:
        if not unicodedata.combining(char):
            latin = _is_latin(char)
        elif char in _TONES and latin:
            tone = tone or _TONES[char]  # one tone per syllable; a stray second one is dropped
            continue
        kept.append(char)
    base = unicodedata.normalize("NFC", "".join(kept))
    return f"{base}|{tone}" if tone else base


class WordTokenizer(Tokenizer):
    """Words of any script (see the module doc), with positions and character offsets."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = normalise(value)
        if not tokenize:
            pieces: Iterator[tuple[str, int, int, bool]] = iter([(text, 0, len(text), False)])
        else:
            # The parts of compounds are indexed, at the compound's position; a query is
            # never split into parts (its words must then match side by side).
            pieces = words(text, parts=mode != "query")
        pos = start_pos - 1
        for word, start, end, is_part in pieces:
            pos += 0 if is_part else 1
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class _MapFilter(Filter):
    """Replace each token's text with ``convert(text)``."""

    convert: Any = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        convert = type(self).convert
        for token in tokens:
            token.text = convert(token.text)
            yield token


class FoldFilter(_MapFilter):
    """``fold()`` each token."""

    convert = staticmethod(fold)


class ToneKeyFilter(_MapFilter):
    """``tone_key()`` each token."""

    convert = staticmethod(tone_key)


def folded_analyzer() -> Composable:
    return WordTokenizer() | FoldFilter()


def exact_analyzer() -> Composable:
    return WordTokenizer() | ToneKeyFilter()


def english_analyzer() -> Composable:
    return WordTokenizer() | LowercaseFilter() | FoldFilter() | StemFilter(lang="en")


def terms(analyzer: Composable, text: str) -> list[str]:
    """The terms ``analyzer`` makes of ``text`` (as a query would be analysed)."""
    return [token.text for token in analyzer(text, mode="query")]
