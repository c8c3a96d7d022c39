"""Each analysis rule, on the analyzers themselves and through an index: what a reader types
must be cut and folded the way the field it searches was."""

from __future__ import annotations

import unicodedata

import pytest
from whoosh.analysis import RegexTokenizer

from search.analysis import english_analyzer, exact_analyzer, folded_analyzer, terms

FOLDED, EXACT, ENGLISH = folded_analyzer(), exact_analyzer(), english_analyzer()


def default_words(text: str) -> list[str]:
    """How Whoosh's default tokenizer (``\\w+``) would cut ``text``."""
    return [token.text for token in RegexTokenizer()(text)]


def test_nfc_and_nfd_input_give_the_same_terms(make_index):
    nfc = unicodedata.normalize("NFC", "Học nghề điện ở Việt Nam")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    for analyzer in (FOLDED, EXACT, ENGLISH):
        assert terms(analyzer, nfd) == terms(analyzer, nfc)
    assert terms(EXACT, nfd) == ["hoc|5", "nghê|2", "điên|5", "ơ|3", "viêt|5", "nam"]

    index = make_index({"key": "r:nfd", "title": nfd}, {"key": "r:other", "title": "Nấu ăn"})
    hits = index.search(nfc).hits  # typed precomposed, indexed decomposed
    assert [hit.key for hit in hits] == ["r:nfd"]
    assert hits[0].title == nfc  # stored precomposed, so pages show and match one form
    assert index.keys(unicodedata.normalize("NFD", "Việt")) == ["r:nfd"]


def test_barred_b_of_ede_jrai_and_bahnar_folds_to_b(make_index):
    assert terms(FOLDED, "Ƀuôn ƀuôn") == ["buon", "buon"]
    assert unicodedata.normalize("NFD", "ƀ") == "ƀ"  # no decomposition, like đ
    index = make_index({"key": "r:rad", "language": "rad", "title": "Ƀuôn Ama Thuôt"})
    assert index.keys("buon ama") == ["r:rad"]


def test_d_bar_folds_to_d(make_index):
    assert terms(FOLDED, "Đường đi ĐIỆN") == ["duong", "di", "dien"]
    # Unicode gives đ no decomposition: plain NFD + dropping marks would keep it.
    assert unicodedata.normalize("NFD", "đ") == "đ"

    index = make_index({"key": "r:road", "title": "ĐƯỜNG ĐI"}, {"key": "r:other", "title": "Nước"})
    assert index.keys("duong di") == ["r:road"]


def test_query_without_diacritics_finds_vietnamese_title(make_index):
    index = make_index(
        {"key": "r:electric", "title": "Học nghề điện"},
        {"key": "r:water", "title": "Học nghề nước"},
    )
    assert index.keys("hoc nghe dien") == ["r:electric"]
    assert index.keys("HOC NGHE DIEN") == ["r:electric"]


def test_old_and_new_tone_placement_give_one_exact_term_and_find_each_other(make_index):
    old, new = "Hòa", "Hoà"  # tone on the o (old style) and on the a (new style)
    assert unicodedata.normalize("NFC", old) != unicodedata.normalize("NFC", new)
    assert terms(EXACT, old) == terms(EXACT, new) == ["hoa|2"]
    assert terms(EXACT, "Hóa") != terms(EXACT, old)  # another tone is another word

    index = make_index(
        {"key": "r:old", "title": "Hòa bình"},
        {"key": "r:new", "title": "Hoà bình"},
        {"key": "r:other-tone", "title": "Hóa bình"},
    )
    for query in (old, new):
        keys = index.keys(query)
        assert set(keys) == {"r:old", "r:new", "r:other-tone"}  # folded: all three
        assert set(keys[:2]) == {"r:old", "r:new"}  # exact: the same tone ranks first


def test_exact_diacritics_rank_first_and_folded_query_finds_both(make_index):
    assert terms(EXACT, "học") != terms(EXACT, "hóc")
    assert terms(FOLDED, "học") == terms(FOLDED, "hóc") == ["hoc"]
    # Index the other word first, so index order alone would put it first.
    index = make_index(
        {"key": "r:hoc-sac", "title": "hóc xương cá"},
        {"key": "r:hoc-nang", "title": "học xương cá"},
    )
    ranked = index.search("học").hits
    assert [hit.key for hit in ranked] == ["r:hoc-nang", "r:hoc-sac"]
    assert ranked[0].score > ranked[1].score
    assert [hit.key for hit in index.search("hóc").hits] == ["r:hoc-sac", "r:hoc-nang"]
    assert set(index.keys("hoc")) == {"r:hoc-sac", "r:hoc-nang"}


def test_khmer_word_inside_a_sentence_without_spaces_is_found(make_index):
    sentence = "ការអប់រំជាសិទ្ធិរបស់មនុស្សគ្រប់គ្នា"  # education is everyone's right
    word = "សិទ្ធិ"  # right
    assert " " not in sentence and word in sentence
    assert word in terms(FOLDED, sentence)
    assert word not in default_words(sentence)  # \w+ cuts at every vowel sign

    index = make_index(
        {"key": "lesson:km", "language": "km", "title": "មេរៀន", "body": sentence},
        {"key": "lesson:km-other", "language": "km", "title": "មេរៀន", "body": "ខ្ញុំរៀននៅសាលា"},
    )
    assert index.keys(word) == ["lesson:km"]
    assert index.keys("មនុស្ស") == ["lesson:km"]


def test_khmer_words_inside_dictionary_compounds_are_found(make_index):
    sentence = "ភាសាខ្មែរជាភាសាផ្លូវការ"  # Khmer is the official language
    # ICU's dictionary keeps the compounds whole: "Khmer language", "official language".
    assert terms(FOLDED, sentence) == ["ភាសាខ្មែរ", "ជា", "ភាសាផ្លូវការ"]
    index = make_index(
        {"key": "lesson:km", "language": "km", "title": "មេរៀន", "body": sentence},
        {"key": "lesson:km-other", "language": "km", "title": "មេរៀន", "body": "ខ្ញុំរៀននៅសាលា"},
    )
    for word in ("ខ្មែរ", "ផ្លូវការ", "ភាសា", "ភាសាខ្មែរ"):
        assert index.keys(word) == ["lesson:km"], word
    # The parts sit at their compound's position: the phrase of the compounds still matches,
    # and the highlight marks the compound's part as written.
    assert index.keys('"ភាសាខ្មែរ ជា"') == ["lesson:km"]
    assert "<mark>ខ្មែរ</mark>" in index.search("ខ្មែរ").hits[0].snippet_html
    # Clusters of unknown strings are not taken for words.
    assert terms(FOLDED, "គគគគ") == ["គ", "គ", "គ", "គ"]


def test_thai_word_inside_a_sentence_without_spaces_is_found(make_index):
    sentence = "ภาษาไทยเป็นภาษาราชการ"  # Thai is the official language
    assert "ราชการ" in terms(FOLDED, sentence)
    assert "ราชการ" not in default_words(sentence)

    index = make_index(
        {"key": "r:th", "language": "th", "title": sentence},
        {"key": "r:th-other", "language": "th", "title": "ฉันชอบกินข้าว"},
    )
    assert index.keys("ราชการ") == ["r:th"]
    assert index.keys("ภาษาไทย") == ["r:th"]  # two dictionary words, matched side by side


def test_lao_word_inside_a_sentence_without_spaces_is_found(make_index):
    sentence = "ພາສາລາວເປັນພາສາທາງການ"  # Lao is the official language
    assert "ທາງການ" in terms(FOLDED, sentence)
    assert "ທາງການ" not in default_words(sentence)

    index = make_index(
        {"key": "r:lo", "language": "lo", "title": sentence},
        {"key": "r:lo-other", "language": "lo", "title": "ຂ້ອຍກິນເຂົ້າ"},
    )
    assert index.keys("ທາງການ") == ["r:lo"]
    assert index.keys("ພາສາລາວ") == ["r:lo"]


def test_cham_words_keep_their_dependent_vowel_signs(make_index):
    ka = "\uaa06"  # CHAM LETTER KA
    ki = ka + "\uaa2a"  # + CHAM VOWEL SIGN I (Mn)
    kya = ka + "\uaa33"  # + CHAM CONSONANT SIGN YA (Mc)
    for word in (ki, kya):
        assert unicodedata.category(word[-1])[0] == "M"
        assert terms(FOLDED, word) == terms(EXACT, word) == [word]
        assert default_words(word) == [ka]  # the default drops the sign: ki, kya, ka collide

    index = make_index(
        {"key": "r:ki", "language": "cjm", "title": f"{ki} {kya}"},
        {"key": "r:ka", "language": "cjm", "title": ka},
    )
    assert index.keys(ka) == ["r:ka"]
    assert index.keys(ki) == ["r:ki"]
    assert index.keys(kya) == ["r:ki"]


def test_tai_viet_words_keep_their_vowels_and_tone_marks(make_index):
    kung = "\uaa81\uaab4\uaa89"  # HIGH KO, VOWEL U (Mn), HIGH NGO
    ka = "\uaa80\uaab1"  # LOW KO, VOWEL AA
    ka_ek = ka + "\uaabf"  # + TONE MAI EK (Mn)
    assert terms(FOLDED, kung) == terms(EXACT, kung) == [kung]
    assert terms(FOLDED, ka_ek) == terms(EXACT, ka_ek) == [ka_ek]
    assert default_words(kung) == ["\uaa81", "\uaa89"]  # split at the vowel
    assert default_words(ka_ek) == [ka]  # tone dropped: ka and ka_ek would collide

    index = make_index(
        {"key": "r:kung", "language": "blt", "title": f"{kung} {ka_ek}"},
        {"key": "r:ka", "language": "blt", "title": f"{ka} \uaa81"},
    )
    assert index.keys(kung) == ["r:kung"]
    assert index.keys(ka_ek) == ["r:kung"]
    assert index.keys(ka) == ["r:ka"]
    assert index.keys("\uaa81") == ["r:ka"]


def test_english_query_finds_other_forms_of_the_word(make_index):
    assert terms(ENGLISH, "passwords") == terms(ENGLISH, "password") == ["password"]
    index = make_index(
        {"key": "r:en", "language": "en", "title": "Reset passwords", "body": "Choosing keys"},
        {"key": "r:en-other", "language": "en", "title": "Reset the router"},
    )
    assert index.keys("password") == ["r:en"]
    assert index.keys("choose key") == ["r:en"]


def test_query_is_analysed_with_each_fields_chain(make_index):
    index = make_index(
        {"key": "r:en", "language": "en", "title": "Password safety"},
        {"key": "r:vi", "language": "vi", "title": "Cách đặt passwords an toàn"},
        {"key": "r:vi-singular", "language": "vi", "title": "Cách đặt password an toàn"},
    )
    # The English document is matched through stems; the Vietnamese ones only word for word.
    assert set(index.keys("passwords")) == {"r:en", "r:vi"}
    assert set(index.keys("password")) == {"r:en", "r:vi-singular"}
    # The stemming fields of a Vietnamese document stay empty.
    with index.store.searcher() as searcher:
        assert searcher.doc_frequency("text_en", "password") == 1
        assert searcher.doc_frequency("title", "passwords") == 1


def test_an_index_built_for_another_schema_is_found_outdated(tmp_path):
    from whoosh import fields, index

    from search.indexer import OutdatedIndex, drain
    from search.store import IndexStore
    from tests.search.conftest import FakeSource

    store = IndexStore(tmp_path)
    old = store.new_build()
    index.create_in(str(old), fields.Schema(key=fields.ID(stored=True, unique=True)))
    store.swap(old)
    source = FakeSource()
    with pytest.raises(OutdatedIndex):
        drain(store, source)
