"""How fast is search at 100,000 documents, and how soon is a change searchable?

Uses the ``search`` package alone: no database, no web server. It generates ``--docs``
documents (default 100,000) the shape ``courses.discovery`` makes — resources, and courses
with their lessons, one document per translation — in Vietnamese (with diacritics and
syllables made from onsets, rhymes and tones), English, Khmer (sentences without spaces between
words), Ede (Latin with breves and hooks), Tai Viet and Cham (syllables with dependent vowel
signs and tone marks), words drawn with a Zipf-like frequency from small per-language lists,
with subjects, levels and licences spread over them. Then:

1. **Indexing:** ``search.indexer.reindex`` into an ``IndexStore`` in a temporary folder, from
   an in-memory ``Source`` (``search.indexer.Source``); prints seconds, documents per second
   and the size of the index on disk.
2. **Queries:** for 1-, 2- and 3-word queries (consecutive words of a random document's title
   or body, Vietnamese and Ede half the time typed without diacritics), without filters, with
   a language filter and with language and kind filters: ``--queries`` measured calls of
   ``search.query.search`` (what ``/search`` and ``/api/v1/search`` call: parsing, every field's
   analysis, BM25F, facet counts, highlighted snippets, "did you mean") after ``--warmup``
   unmeasured ones, p50/p95/p99 in milliseconds (``time.perf_counter``). In the same run, two
   baselines on the same index and the same Whoosh query objects: a bare
   ``searcher.search(query, limit=10)`` (with the same filter set), and the same plus the five
   facet counts (``groupedby``); the ratios say what facets and highlighting cost.
3. **An update:** a new document through the outbox — one row, ``search.indexer.drain``, then
   one ``search.query.search`` that must find it — ``--updates`` times; the median and the
   slowest, split into the drain and the first search after the commit (which opens the new
   segment and rebuilds the per-searcher caches).

Run from the repository root: ``.venv/bin/python bench/search.py``. At the default size it
takes a while: indexing runs at a few hundred documents per second on one core, and each row
of queries stops after ``--row-seconds`` (with at least 10 queries) when search is slow.
``--docs 2000`` is a quick smoke run. ``--index-dir DIR`` keeps the index and reuses it when
it was built with the same ``--docs`` and ``--seed`` (then indexing is not measured);
``--profile`` prints where ``search()`` spends its time (cProfile). Figures move with the
machine; the targets of the search issue are p95 under 50 ms and an update searchable in
under 1 s.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import itertools
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whoosh import sorting  # noqa: E402
from whoosh.query import And, Term  # noqa: E402

from search import indexer, segments  # noqa: E402
from search.analysis import fold, words  # noqa: E402
from search.query import build, parse  # noqa: E402
from search.query import search as run_search  # noqa: E402
from search.schema import FACETS, SCHEMA_VERSION  # noqa: E402
from search.store import IndexStore, read_state  # noqa: E402


def _split(text: str) -> list[str]:
    """The words of ``text`` (vocabularies are written as text: easier to read and edit)."""
    return text.split()


# Vocabularies --------------------------------------------------------------------------------

_VI_COMMON = _split("""
học nghề điện nước trồng lúa cà phê chăn nuôi gia đình sức khỏe kỹ năng số máy tính tiếng Việt
Anh toán đọc viết an toàn giao thông pháp luật tài chính tiết kiệm thị trường bán hàng dịch vụ
du lịch nấu ăn may mặc sửa chữa xe thủy sản rừng bảo vệ môi phòng chống thiên tai bão lũ cộng
đồng văn hóa hoà bình Hòa trẻ em phụ nữ người cao tuổi khởi nghiệp hợp tác xã nông hữu cơ phân
bón giống cây con vườn ao chuồng thoại thông minh mạng hội thư tử dinh dưỡng vệ sinh sạch bài
khóa hướng dẫn thực hành cơ bản nâng làm việc của và cho các những với trong được có một là không
này để khi từ đến theo về sau trước hóc lớp trường thầy cô giáo sách vở chữ số đếm cộng trừ nhân
chia đo lường tiền đồng giá mua bán chợ làng xóm bản thôn xã huyện tỉnh hồ sông núi đất đá mưa
nắng gió mùa vụ thu hoạch cắt tỉa tưới tiêu sâu bệnh thuốc chuồng trại gà vịt lợn bò trâu cá tôm
""")
_VI_ONSETS = _split("b c ch d đ g gh gi h k kh l m n ng nh p ph qu r s t th tr v x")
_VI_RHYMES = _split(
    "a ai am an ang anh ao au ay ăn ăng ăm âm ân âu ây e em en eo ê êm ên ênh i im in inh iêu "
    "o oa oai oan oang oanh oe oi om on ong ô ôi ôm ông ơ ơi ơn u ui um un ung uy uyên ư ưa ưng "
    "ươi ương ươn"
)
_VI_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_VOWELS = set("aăâeêioôơuưy")

_EN_COMMON = _split("""
learn learning learned learner learners lesson lessons course courses teach teacher teaching
farm farmer farmers farming rice coffee water clean health healthy family families money save
saving savings market markets sell selling buy community village school children women older
people safety traffic law digital skill skills computer phone phones internet email read reading
write writing number numbers count counting grow growing plant plants planting harvest seeds
fish fishing forest protect protection storm flood prepare preparing cook cooking food nutrition
repair repairing motorbike tourism guide guides service business start starting cooperative
organic fertiliser animal animals chicken pig cattle pond garden practice practical basic
advanced introduction the of and to in for with on is are by from at as an be this that how
what why your you we our their
""")
_EN_PARTS = _split(
    "con pro ment tion ing er al ly ic ive ous able ness re pre de in ex com per tra"
)

_KM_WORDS = _split("""
ការ រៀន ភាសា ខ្មែរ សាលា កសិកម្ម ទឹក ដី ស្រូវ គ្រូ សិស្ស អាន សរសេរ លេខ សុខភាព គ្រួសារ ភូមិ
ផ្ទះ បច្ចេកវិទ្យា កុំព្យូទ័រ ទូរស័ព្ទ ប្រាក់ សន្សំ ទីផ្សារ លក់ ទិញ ម្ហូប ធ្វើ ការងារ ដាំ ដំណាំ
ត្រី សត្វ មាន់ ជ្រូក គោ ព្រៃ ឈើ ភ្លៀង ខ្យល់ ទន្លេ ភ្នំ សុវត្ថិភាព ច្បាប់ សហគមន៍ កុមារ ស្ត្រី
មនុស្ស ចាស់ ថ្មី ល្អ ធំ តូច ច្រើន ដឹង មើល ស្តាប់ និយាយ សួរ ឆ្លើយ មេរៀន វគ្គ សិក្សា ជំនាញ
អគ្គិសនី ជួសជុល ម៉ូតូ ទេសចរណ៍ អាហារ ចម្អិន ជីកំប៉ុស្ត៍ គ្រាប់ពូជ ប្រមូលផល
""")

_EDE_COMMON = _split("""
hriăm klei mnuih sang hră êa kphê hdĭp ƀuôn mdrông pla hmei anak amĭ ama djă bruă mjing dôk
ênuk adŭ kơ leh mâo ti hŏng lu đru hlăm čar kâo ih diñu msir tlang mđiă hjan hma pơ lŏ čih
dlăng ktang mơak hdră mnga kmrơ̆ng asăo ŭn mnŭ knŭl sah kpă ƀăng ĕ ôh ară
""")
_EDE_ONSETS = _split("b ƀ č d đ g h k kh kp m mn n ñ p r s t tl y hr kr dl mđ ml")
_EDE_RHYMES = _split("a ă â e ĕ ê i ĭ o ŏ ô ơ ơ̆ u ŭ ư ư̆ ang ăng ăm ŏng ŭn uôn ưk iêng")

# Tai Viet: consonants U+AA80-AAAF; vowels written before the consonant (U+AAB5, AAB6, AABB,
# AABC: letters) or after it (marks U+AAB0, AAB2-AAB4, AAB7, AAB8, AABE; letters AAB1, AAB9,
# AABA, AABD); tones U+AABF, AAC1 (marks) and AAC0, AAC2 (letters).
_TAI_CONSONANTS = [chr(c) for c in range(0xAA80, 0xAAB0)]
_TAI_BEFORE = ["", "", "", "\uaab5", "\uaab6", "\uaabb", "\uaabc"]
_TAI_AFTER = ["", "\uaab0", "\uaab1", "\uaab2", "\uaab3", "\uaab4", "\uaab7", "\uaab8",
              "\uaab9", "\uaaba", "\uaabd", "\uaabe"]  # fmt: skip
_TAI_TONES = ["", "", "\uaabf", "\uaac0", "\uaac1", "\uaac2"]
# Cham: consonants U+AA06-AA28, dependent vowel signs U+AA29-AA36 (marks), finals U+AA40-AA4D.
_CHAM_CONSONANTS = [chr(c) for c in range(0xAA06, 0xAA29)]
_CHAM_VOWELS = ["", ""] + [chr(c) for c in range(0xAA29, 0xAA37)]
_CHAM_FINALS = ["", "", ""] + [chr(c) for c in range(0xAA40, 0xAA4E)]

SUBJECTS = ("digital", "literacy", "agriculture", "health", "finance", "vocational", "language",
            "law", "environment", "family", "tourism", "culture")  # fmt: skip
LEVELS = ("beginner", "intermediate", "advanced", "level-1", "level-2", "level-3")
LICENCES = ("cc-by", "cc-by-sa", "cc0", "cc-by-nc", "cc-by-nc-sa")
# Share of roots whose first language is this one.
LANGUAGES = {"vi": 0.40, "en": 0.18, "km": 0.12, "rad": 0.12, "blt": 0.09, "cjm": 0.09}


def _zipf(items: Sequence[str], rng: random.Random) -> tuple[list[str], list[float]]:
    """``items`` in a random order with cumulative Zipf weights (rank ** -1)."""
    ordered = list(dict.fromkeys(items))
    rng.shuffle(ordered)
    return ordered, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(ordered))))


def _vi_syllable(onset: str, rhyme: str, tone: str) -> str:
    """A syllable with its tone mark on the vowel that carries it (old style: "hòa")."""
    vowels = [i for i, c in enumerate(rhyme) if c in _VOWELS]
    if len(vowels) == 1 or vowels[-1] + 1 < len(rhyme):
        at = vowels[-1]  # "án", "oán", "ướng"
    else:
        at = vowels[len(vowels) // 2 - (len(vowels) == 2)]  # "ái", "hòa", "iếu"
    return unicodedata.normalize("NFC", onset + rhyme[: at + 1] + tone + rhyme[at + 1 :])


class Language:
    """Draws words of one language: a common list plus a generated long tail."""

    def __init__(self, code: str, rng: random.Random) -> None:
        self.code = code
        self.joiner = " "
        common: list[str]
        tail: list[str]
        if code == "vi":
            common = _VI_COMMON
            tail = [
                _vi_syllable(o, r, t) for o in _VI_ONSETS for r in _VI_RHYMES for t in _VI_TONES
            ]
        elif code == "en":
            common = _EN_COMMON
            tail = [
                a + b + c for a in _EN_PARTS for b in ("t", "v", "m", "l", "s") for c in _EN_PARTS
            ]
        elif code == "km":
            common, tail = _KM_WORDS, []
            self.joiner = ""  # Khmer runs words together; sentences end with a space
        elif code == "rad":
            common = [unicodedata.normalize("NFC", w) for w in _EDE_COMMON]
            tail = [unicodedata.normalize("NFC", o + r) for o in _EDE_ONSETS for r in _EDE_RHYMES]
        elif code == "blt":
            syllables = [
                b + c + a + t
                for c in _TAI_CONSONANTS
                for b in _TAI_BEFORE
                for a in _TAI_AFTER
                for t in _TAI_TONES
                if not (b and a in ("\uaab9", "\uaaba"))
            ]
            rng.shuffle(syllables)
            common, tail = syllables[:150], syllables[150:3000]
        else:  # cjm
            syllables = [
                c + v + f for c in _CHAM_CONSONANTS for v in _CHAM_VOWELS for f in _CHAM_FINALS
            ]
            rng.shuffle(syllables)
            short = syllables[:3000]
            common = short[:150]
            tail = [a + b for a, b in zip(short[150:1500], short[1500:2850], strict=True)]
        self.common, self.common_weights = _zipf(common, rng)
        self.tail, self.tail_weights = _zipf(tail, rng)

    def words(self, rng: random.Random, count: int) -> list[str]:
        from_tail = round(count * 0.3) if self.tail else 0
        out = rng.choices(self.common, cum_weights=self.common_weights, k=count - from_tail)
        if from_tail:
            out += rng.choices(self.tail, cum_weights=self.tail_weights, k=from_tail)
        rng.shuffle(out)
        return out

    def text(self, rng: random.Random, count: int) -> str:
        """``count`` words as sentences of 4-12 words."""
        got = self.words(rng, count)
        sentences = []
        while got:
            size = rng.randint(4, 12)
            sentence, got = got[:size], got[size:]
            sentences.append(self.joiner.join(sentence) + ("." if self.joiner else ""))
        return " ".join(sentences)

    def title(self, rng: random.Random, count: int) -> str:
        text = self.joiner.join(self.words(rng, count))
        return text[:1].upper() + text[1:]


# Documents and the in-memory source ----------------------------------------------------------


def generate(total: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Roots and their documents, about ``total`` documents in all (deterministic)."""
    rng = random.Random(seed)
    languages = {code: Language(code, random.Random(f"{seed}:{code}")) for code in LANGUAGES}
    codes, shares = list(LANGUAGES), list(LANGUAGES.values())
    roots: dict[str, list[dict[str, Any]]] = {}
    count = 0
    for number in itertools.count(1):
        if count >= total:
            break
        first = rng.choices(codes, shares)[0]
        spoken = [first] + (
            [rng.choice([c for c in codes if c != first])] if rng.random() < 0.25 else []
        )
        shared = {
            "subjects": rng.sample(SUBJECTS, rng.randint(1, 3)),
            "level": rng.choice(LEVELS),
            "licence": rng.choice(LICENCES),
        }
        docs: list[dict[str, Any]] = []
        if rng.random() < 0.5:
            root = f"resource:{number}"
            for code in spoken:
                lang = languages[code]
                docs.append(
                    {"key": f"{root}:{code}", "root": root, "kind": "resource", "language": code,
                     "title": lang.title(rng, rng.randint(3, 9)),
                     "body": lang.text(rng, rng.randint(60, 220)),
                     "url": f"/resources/{number}?lang={code}", "context": "", **shared}
                )  # fmt: skip
        else:
            root = f"course:{number}"
            lessons = rng.randint(3, 14)
            # One course in ten is a cohort whose lessons open on a day (half still to come).
            opens = {"opens_on": rng.choice((20250901, 20991231))} if rng.random() < 0.1 else {}
            for code in spoken:
                lang = languages[code]
                course_title = lang.title(rng, rng.randint(3, 8))
                docs.append(
                    {"key": f"{root}:{code}", "root": root, "kind": "course", "language": code,
                     "title": course_title, "body": lang.text(rng, rng.randint(40, 120)),
                     "url": f"/courses/{number}?lang={code}", "context": "", **shared}
                )  # fmt: skip
                for lesson in range(lessons):
                    key = f"lesson:{number * 100 + lesson}:{code}"
                    docs.append(
                        {"key": key, "root": root, "kind": "lesson", "language": code,
                         "title": lang.title(rng, rng.randint(3, 10)),
                         "body": lang.text(rng, rng.randint(80, 260)),
                         "url": f"/courses/{number}/lessons/{number * 100 + lesson}?lang={code}",
                         "context": course_title, **shared, **opens}
                    )  # fmt: skip
        roots[root] = docs
        count += len(docs)
    return roots


class MemorySource:
    """``search.indexer.Source`` over a dict of roots and an outbox list."""

    def __init__(self, roots: dict[str, list[dict[str, Any]]]) -> None:
        self.roots = roots
        self.outbox: list[tuple[int, str]] = []
        self.start = 0  # ids follow this one (a reused index has applied rows up to it)

    def changes_after(self, cursor: int, limit: int) -> Sequence[tuple[int, str]]:
        start = bisect.bisect_right(self.outbox, (cursor, "\uffff"))
        return self.outbox[start : start + limit]

    def last_change(self) -> int:
        return self.outbox[-1][0] if self.outbox else self.start

    def documents(self, roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        return {root: self.roots.get(root, []) for root in roots}

    def all_roots(self) -> Iterable[str]:
        return list(self.roots)

    def change(self, root: str, documents: list[dict[str, Any]]) -> None:
        """What a committed transaction does: new content and its outbox row."""
        self.roots[root] = documents
        self.outbox.append((self.last_change() + 1, root))


# Queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    kind: str


def make_queries(
    roots: dict[str, list[dict[str, Any]]], size: int, count: int, seed: int
) -> list[Query]:
    """``count`` queries of ``size`` consecutive words of random documents' titles or bodies."""
    rng = random.Random(f"{seed}:queries:{size}")
    documents = [doc for docs in roots.values() for doc in docs]
    out: list[Query] = []
    while len(out) < count:
        doc = rng.choice(documents)
        text = doc["title"] if rng.random() < 0.4 else doc["body"]
        found = [word[0] for word in words(text)]
        if len(found) < size:
            continue
        start = rng.randrange(len(found) - size + 1)
        picked = found[start : start + size]
        if doc["language"] in ("vi", "rad") and rng.random() < 0.5:
            picked = [fold(w) for w in picked]  # typed on a phone without diacritics
        out.append(Query(" ".join(picked), doc["language"], doc["kind"]))
    return out


FILTERS: dict[str, Callable[[Query], dict[str, str]]] = {
    "none": lambda q: {},
    "language": lambda q: {"language": q.language},
    "language+kind": lambda q: {"language": q.language, "kind": q.kind},
}


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Row:
    words: int
    filters: str
    search_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    facets_ms: list[float] = field(default_factory=list)
    hits: list[int] = field(default_factory=list)


def measure_queries(
    store: IndexStore,
    queries: list[Query],
    mode: str,
    warmup: int,
    profile: cProfile.Profile | None,
    time_limit: float,
    baseline: bool = True,
) -> Row:
    row = Row(len(queries[0].text.split()) if queries else 0, mode)
    facets = {name: sorting.FieldFacet(name, allow_overlap=name == "subject",
                                       maptype=sorting.Count) for name in FACETS}  # fmt: skip
    sets: dict[tuple[tuple[str, str], ...], set[int]] = {}

    def doc_set(searcher: Any, filters: dict[str, str]) -> set[int] | None:
        if not filters:
            return None
        key = tuple(sorted(filters.items()))
        if key not in sets:
            terms = [Term(name, value) for name, value in key]
            sets[key] = set(searcher.docs_for_query(And(terms)))
        return sets[key]

    for query in queries[:warmup]:
        run_search(store, query.text, filters=FILTERS[mode](query))
    deadline = time.perf_counter() + time_limit
    for query in queries[warmup:]:
        if len(row.search_ms) >= 10 and time.perf_counter() > deadline:
            break
        filters = FILTERS[mode](query)
        if profile:
            profile.enable()
        # Uncached: a repeated query would otherwise come from the page cache. (The per-term
        # posting sets stay cached: common words are common across queries.)
        store.cache.pop("pages", None)
        started = time.perf_counter()
        results = run_search(store, query.text, filters=filters)
        row.search_ms.append((time.perf_counter() - started) * 1000)
        if profile:
            profile.disable()
        row.hits.append(results.total)
        built = build(parse(query.text))
        if built is None or not baseline:
            continue
        with store.searcher() as searcher:
            only = doc_set(searcher, filters)
            started = time.perf_counter()
            searcher.search(built, limit=10, filter=only)
            row.bare_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            searcher.search(built, limit=10, filter=only, groupedby=facets)
            row.facets_ms.append((time.perf_counter() - started) * 1000)
    return row


def measure_updates(
    store: IndexStore, source: MemorySource, count: int
) -> list[tuple[float, float]]:
    """(drain ms, search ms) for ``count`` new documents, one outbox row each."""
    timings = []
    for n in range(count):
        word = f"capnhat{n}bench"
        root = f"resource:update-{n}"
        doc = {"key": f"{root}:vi", "root": root, "kind": "resource", "language": "vi",
               "title": f"Cập nhật {word}", "body": f"Tài liệu mới {word} về học nghề điện.",
               "url": f"/resources/update-{n}?lang=vi", "subjects": ["digital"],
               "level": "beginner", "licence": "cc-by"}  # fmt: skip
        started = time.perf_counter()
        source.change(root, [doc])
        applied = indexer.drain(store, source)
        drained = time.perf_counter()
        results = run_search(store, word)
        done = time.perf_counter()
        if applied != 1 or results.total != 1:
            raise SystemExit(f"update {n} not searchable: applied {applied}, found {results.total}")
        timings.append(((drained - started) * 1000, (done - drained) * 1000))
    return timings


# Running -------------------------------------------------------------------------------------


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_index(
    store: IndexStore, source: MemorySource, documents: int, marker: Path, tag: dict[str, int]
) -> float | None:
    """Index every root unless ``marker`` says this index holds these documents already; the
    seconds it took (None when reused)."""
    if marker.exists() and json.loads(marker.read_text()) == tag:
        print(f"reusing the index in {store.base}", file=sys.stderr, flush=True)
        return None
    done = 0
    step = max(1, len(source.roots) // 10)

    def progress(roots: int) -> None:
        nonlocal done
        before, done = done, done + roots
        if before // step != done // step:
            print(f"  {done}/{len(source.roots)} roots", file=sys.stderr, flush=True)

    print(f"indexing {documents} documents …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    count = indexer.reindex(store, source, progress=progress)
    seconds = time.perf_counter() - started
    assert count == documents, (count, documents)
    marker.write_text(json.dumps(tag))
    return seconds


def run(args: argparse.Namespace) -> None:
    import whoosh

    sys.stdout.reconfigure(line_buffering=True)  # figures and progress lines in order

    if args.index_dir:
        scratch = Path(args.index_dir)
        scratch.mkdir(parents=True, exist_ok=True)
    else:
        scratch = Path(tempfile.mkdtemp(prefix="search-bench-"))
    store = IndexStore(scratch / "index")
    try:
        print(f"generating {args.docs} documents …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        roots = generate(args.docs, args.seed)
        documents = sum(len(docs) for docs in roots.values())
        generated = time.perf_counter() - started
        source = MemorySource(roots)
        seconds = build_index(
            store,
            source,
            documents,
            scratch / "bench.json",
            {"docs": args.docs, "seed": args.seed, "schema": SCHEMA_VERSION},
        )
        size = folder_size(store.live_path())

        by_language: dict[str, int] = {}
        by_kind: dict[str, int] = {}
        for docs in roots.values():
            for doc in docs:
                by_language[doc["language"]] = by_language.get(doc["language"], 0) + 1
                by_kind[doc["kind"]] = by_kind.get(doc["kind"], 0) + 1
        print(
            f"search bench: {documents} documents in {len(roots)} roots (generated in "
            f"{generated:.1f} s), whoosh {'.'.join(map(str, whoosh.__version__))}, "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
        )
        print("  languages: " + ", ".join(f"{k} {v}" for k, v in sorted(by_language.items())))
        print("  kinds:     " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
        if seconds is not None:
            print(
                f"indexing: {seconds:.1f} s, {documents / seconds:.0f} documents/s "
                "(search.indexer.reindex, one process, optimised at the end)"
            )
        print(f"index size on disk: {size / 1e6:.1f} MB ({size / documents:.0f} bytes/document)")
        print()

        if args.warm:
            started = time.perf_counter()
            terms = segments.warm(store)
            print(
                f"read-ahead (search.segments.warm, what the indexing thread does after a "
                f"commit): {terms} common terms in {time.perf_counter() - started:.1f} s"
            )
        else:
            print("read-ahead skipped (--no-warm): the first queries read postings cold")
        profile = cProfile.Profile() if args.profile else None
        print(
            f"queries: {args.queries} per row after {args.warmup} warm-up (n: fewer when a row "
            f"reached --row-seconds {args.row_seconds:g}); milliseconds; "
            "search() = search.query.search (facets, highlights, suggestion); bare = "
            "searcher.search(query, limit=10); +facets = bare with the five facet counts"
        )
        header = (
            f"{'words':>5} {'filters':<14} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} "
            f"{'bare p50':>9} {'bare p95':>9} {'+facets p50':>12} {'search/bare':>12} "
            f"{'mean hits':>10}"
        )
        print(header)
        print("-" * len(header))
        rows: list[Row] = []
        for size_words in args.words:
            queries = make_queries(roots, size_words, args.warmup + args.queries, args.seed)
            for mode in FILTERS:
                row = measure_queries(
                    store, queries, mode, args.warmup, profile, args.row_seconds, args.baseline
                )
                rows.append(row)
                if row.bare_ms:
                    bare = statistics.median(row.bare_ms)
                    baselines = (
                        f"{bare:>9.1f} {percentile(row.bare_ms, 95):>9.1f} "
                        f"{statistics.median(row.facets_ms):>12.1f} "
                        f"{statistics.median(row.search_ms) / bare:>12.1f}"
                    )
                else:
                    baselines = f"{'-':>9} {'-':>9} {'-':>12} {'-':>12}"
                print(
                    f"{row.words:>5} {row.filters:<14} {len(row.search_ms):>4} "
                    f"{percentile(row.search_ms, 50):>7.1f} "
                    f"{percentile(row.search_ms, 95):>7.1f} {percentile(row.search_ms, 99):>7.1f} "
                    f"{baselines} {statistics.mean(row.hits):>10.0f}"
                )
        every = [ms for row in rows for ms in row.search_ms]
        print(
            f"all rows: p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms, "
            f"p99 {percentile(every, 99):.1f} ms (target: p95 under 50 ms); load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        print()

        with store.searcher() as searcher:
            source.start = read_state(searcher)["cursor"]
        timings = measure_updates(store, source, args.updates)
        total = [d + s for d, s in timings]
        print(
            f"update searchable (one outbox row, drain, then a search that finds it), "
            f"{args.updates} times: median {statistics.median(total):.0f} ms (drain "
            f"{statistics.median(d for d, _ in timings):.0f} ms + first search "
            f"{statistics.median(s for _, s in timings):.0f} ms), slowest {max(total):.0f} ms "
            "(target: under 1 s)"
        )
        if profile is not None:
            print("\ncProfile of the measured search() calls, by cumulative time:")
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    finally:
        store.close()
        if not args.index_dir:
            shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="documents (default 100000)")
    parser.add_argument(
        "--queries", type=int, default=120, help="measured queries per row (default 120)"
    )
    parser.add_argument(
        "--warmup", type=int, default=10, help="queries before measuring, per row (default 10)"
    )
    parser.add_argument(
        "--row-seconds",
        type=float,
        default=120.0,
        help="stop measuring a row after this many seconds, with 10 queries at least (default 120)",
    )
    parser.add_argument("--updates", type=int, default=10, help="updates timed (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--no-warm",
        dest="warm",
        action="store_false",
        help="skip the read-ahead of common terms (measure a process's first queries)",
    )
    parser.add_argument(
        "--words",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2, 3],
        help="query lengths measured, e.g. 3 or 1,2 (default 1,2,3)",
    )
    parser.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_false",
        help="skip the bare Whoosh baselines (quicker; no ratios)",
    )
    parser.add_argument("--index-dir", help="keep the index here, reuse it when it matches")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the measured search() calls"
    )
    args = parser.parse_args(argv)
    for name in ("docs", "queries", "updates"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
