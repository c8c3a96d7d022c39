from portal.text import fold, nfc


def test_fold_removes_vietnamese_diacritics_including_d_bar():
    assert fold("Học nghề ĐIỆN") == "hoc nghe dien"
    assert fold("Đắk Lắk") == "dak lak"


def test_fold_matches_both_tone_mark_placements():
    assert fold("Hòa") == fold("Hoà") == "hoa"
    assert nfc("Hòa") != nfc("Hoà")  # NFC alone keeps them apart


def test_fold_keeps_khmer_cham_and_tai_viet_marks():
    for text in ("ខ្មែរ", "ꨌꩌ", "ꪼꪕꪒꪾ"):
        assert fold(text) == text


def test_nfc_composes():
    assert nfc("Vie\u0302\u0323t") == "Việt"
