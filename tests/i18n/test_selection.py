"""Which language a page speaks: ``?lang=``, profile, cookie, ``Accept-Language``, default;
message fallback chains; Vietnamese formatting for languages CLDR lacks; the switcher."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from babel.support import Translations
from flask import g

from portal.accounts.models import User
from portal.extensions import babel
from portal.i18n import COOKIE, ChainDomain, cli
from portal.i18n.languages import LANGUAGES, best_match, parse

HTML_LANG = re.compile(r'<html lang="([^"]+)"')


def html_lang(response) -> str:  # type: ignore[no-untyped-def]
    match = HTML_LANG.search(response.get_data(as_text=True))
    assert match, "no <html lang>"
    return match.group(1)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def shown(code: str, msgid: str) -> str:
    """What a page in ``code`` should show for ``msgid``: the first translation along the
    language's chain, read from the .po files, else the English source text."""
    for link in LANGUAGES[code].chain:
        message = cli.read_catalog(cli.po_path(link), link).get(msgid)
        if message is not None and message.string and not message.fuzzy:
            return message.string
    return msgid


def vietnamese_dates() -> set[str]:
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    return {format_date(today + timedelta(days=d), "full", locale="vi") for d in (-1, 0, 1)}


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, code",
    [
        ("vi", "vi"),
        ("km-KH", "km"),
        ("KM_kh", "km"),
        ("rad", "rad"),
        ("blt-Tavt-VN", "blt"),
        ("en-US", "en"),
        (" tyz ", "tyz"),
    ],
)
def test_parse_accepts_offered_languages_with_region_or_script(tag, code):
    assert parse(tag).code == code


@pytest.mark.parametrize(
    "tag",
    [
        None,
        "",
        "zz",
        "mnc",
        "<script>",
        "x" * 5000,
        "vi-",
        "en--US",
        "../../etc",
        "vi\x00",
        "1a",
        "*",
    ],
)
def test_parse_rejects_unknown_and_malformed_tags(tag):
    assert parse(tag) is None


def test_best_match_skips_refused_and_unknown_languages():
    assert best_match([("fr", 1.0), ("km", 0.0), ("rad", 0.5)]).code == "rad"
    assert best_match([("fr", 1.0), ("*", 0.5)]) is None


# --- fallback chains -------------------------------------------------------------------------


def _mo(directory, code: str, messages: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=None)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    target = directory / code / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)


def test_a_message_missing_in_ede_is_shown_in_vietnamese_then_english(app, tmp_path):
    _mo(tmp_path, "rad", {"Learn": "Hriăm"})
    _mo(tmp_path, "vi", {"Learn": "Học", "Teach": "Dạy"})
    _mo(tmp_path, "en", {"Learn": "Learn", "Teach": "Teach", "Only English": "Only English!"})
    domain = ChainDomain(tmp_path)
    with app.test_request_context("/"):
        g.language = LANGUAGES["rad"]
        chain = domain.get_translations()
        assert isinstance(chain, Translations)
        assert chain.gettext("Learn") == "Hriăm"
        assert chain.gettext("Teach") == "Dạy"
        assert chain.gettext("Only English") == "Only English!"
        assert chain.gettext("Nowhere") == "Nowhere"
        g.language = LANGUAGES["vi"]
        assert domain.get_translations().gettext("Only English") == "Only English!"
        assert domain.get_translations().gettext("Learn") == "Học"


def test_english_never_falls_back_to_vietnamese(app, tmp_path):
    _mo(tmp_path, "vi", {"Not yet in English": "Chưa có tiếng Anh"})
    _mo(tmp_path, "en", {})
    domain = ChainDomain(tmp_path)
    with app.test_request_context("/"):
        g.language = LANGUAGES["en"]
        assert domain.get_translations().gettext("Not yet in English") == "Not yet in English"


@pytest.mark.parametrize("code", ["rad", "jra", "cjm", "blt", "tyz", "km"])
def test_pages_in_a_seeded_language_fall_back_message_by_message(client, code):
    page = text(client.get(f"/?lang={code}"))
    for msgid in (
        "Home",
        "Sign in",
        "Learning for everyone, all life long",
        "What you can do here",
        "Lifelong Learning Portal",
    ):
        assert shown(code, msgid) in page, (code, msgid)


# --- formatting locale and <html lang> -------------------------------------------------------


@pytest.mark.parametrize("code", ["rad", "blt", "jra", "hmn"])
def test_languages_cldr_lacks_format_dates_the_vietnamese_way(client, code):
    response = client.get(f"/?lang={code}")
    assert response.status_code == 200
    assert html_lang(response) == code
    sentence = shown(code, "Today is %(date)s.")
    page = text(response)
    assert any(sentence % {"date": day} in page for day in vietnamese_dates()), page


def test_khmer_dates_use_khmer_formatting(client):
    page = text(client.get("/?lang=km"))
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    days = {format_date(today + timedelta(days=d), "full", locale="km") for d in (-1, 0, 1)}
    assert any(day in page for day in days)


def test_unreviewed_languages_say_what_falls_back(client):
    page = text(client.get("/?lang=rad"))
    assert 'class="notice"' in page and "Tiếng Việt" in page
    assert 'class="notice"' not in text(client.get("/?lang=vi"))
    assert 'class="notice"' not in text(client.get("/?lang=en"))


# --- choosing the language -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["zz", "<script>alert(1)</script>", "x" * 3000, "", "mnc", "vi%00", "../en"]
)
def test_an_unknown_or_malformed_lang_gives_the_page_in_vietnamese(client, query):
    response = client.get("/", query_string={"lang": query})
    assert response.status_code == 200
    assert html_lang(response) == "vi"
    assert "Đăng nhập" in text(response)
    assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get_cookie(COOKIE) is None


@pytest.mark.parametrize(
    "header",
    [
        "xx-YY",
        "xx-YY, zz;q=0.8",
        ";;;,,,q=",
        "km-KH;q=abc;;",
        "=,=;q=1.5",
        "*",
        "vi-VN;q=0.9, <script>;q=1",
        "a" * 4000,
        "\u00e9\u00e9-\u00e9\u00e9",
    ],
)
def test_an_unknown_or_malformed_accept_language_gives_a_page_not_an_error(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_lang(response) in LANGUAGES


@pytest.mark.parametrize("header", ["xx-YY", ";;;,,,q=", "*", "a" * 4000])
def test_an_unknown_accept_language_gives_vietnamese(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert html_lang(response) == "vi" and "Đăng nhập" in text(response)


def test_accept_language_km_kh_gives_khmer(client):
    response = client.get("/", headers={"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert html_lang(response) == "km"
    assert shown("km", "Home") in text(response) and shown("km", "Home") != "Home"
    assert "Accept-Language" in response.headers["Vary"]


def test_accept_language_picks_the_first_offered_language_by_quality(client):
    response = client.get("/", headers={"Accept-Language": "fr;q=1, en;q=0.4, rad;q=0.6"})
    assert html_lang(response) == "rad"


def test_lang_in_the_query_is_remembered_in_a_cookie_and_beats_accept_language(client):
    response = client.get("/?lang=blt", headers={"Accept-Language": "en"})
    assert html_lang(response) == "blt"
    assert client.get_cookie(COOKIE).value == "blt"
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "blt"


def test_a_garbage_cookie_is_ignored(client):
    client.set_cookie(COOKIE, "<script>")
    response = client.get("/")
    assert response.status_code == 200 and html_lang(response) == "vi"


def test_the_switcher_lists_every_language_by_its_own_name(client):
    page = client.get("/language").get_data(as_text=True)
    for language in LANGUAGES.values():
        assert f'value="{language.code}" lang="{language.code}"' in page
        assert language.endonym in page
    footer = text(client.get("/?lang=en")).split("<footer", 1)[1]
    for language in LANGUAGES.values():
        assert f'hreflang="{language.code}"' in footer and language.endonym in footer


def test_choosing_a_language_sets_the_cookie_and_goes_back(client):
    response = client.post("/language", data={"lang": "cjm", "next": "/sign-in?lang=vi"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert client.get_cookie(COOKIE).value == "cjm"
    follow = client.get("/sign-in")
    assert html_lang(follow) == "cjm"


@pytest.mark.parametrize("value", ["zz", "<script>", "", "x" * 500])
def test_choosing_an_unknown_language_is_a_400_page(client, value):
    response = client.post("/language", data={"lang": value})
    assert response.status_code == 400
    assert "Chọn ngôn ngữ" in text(response)
    assert client.get_cookie(COOKIE) is None


def test_a_signed_in_choice_is_kept_in_the_profile_and_used_without_the_cookie(
    client, db, make_user, sign_in
):
    user = make_user(language="vi")
    sign_in(user)
    assert client.post("/language", data={"lang": "rad"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "rad"

    client.delete_cookie(COOKIE)
    response = client.get("/", headers={"Accept-Language": "km"})
    assert html_lang(response) == "rad"


def test_the_chain_cache_can_be_cleared():
    babel.domain_instance.clear()
    assert babel.domain_instance._chains == {}


def test_a_footer_link_choice_lasts_beyond_one_page_for_a_signed_in_user(
    client, make_user, sign_in
):
    user = make_user(language="rad")
    sign_in(user)
    assert html_lang(client.get("/")) == "rad"
    assert html_lang(client.get("/?lang=km")) == "km"
    assert html_lang(client.get("/profile")) == "km"
