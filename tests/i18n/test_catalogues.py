"""The catalogues: babel.cfg still points at the code, messages.pot is up to date, every
language has every message, translations keep their placeholders and are NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.util import pathmatch

from portal.i18n import cli
from portal.i18n.languages import LANGUAGES

ROOT = cli.ROOT
HELP = "run `flask translate extract` then `flask translate update` (translations/README.md)"


def _project_files() -> list[str]:
    """Every file of the project, relative to the root, leaving out hidden and build folders."""
    skip = {"node_modules", "instance", "build", "dist", "translations"}
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(
            part.startswith((".", "_")) or part in skip or part.endswith(".egg-info")
            for part in relative.parts[:-1]
        ):
            continue
        if path.is_file():
            files.append(relative.as_posix())
    return files


def _key(message) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def _keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {_key(message) for message in catalog if message.id}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return cli.read_catalog(cli.POT)


def catalogue(code: str) -> Catalog:
    return cli.read_catalog(cli.po_path(code), code)


def test_every_babel_cfg_pattern_matches_files():
    files = _project_files()
    method_map, _ = cli.read_mapping()
    assert method_map
    for pattern, method in method_map:
        if method == "ignore":
            continue
        assert any(pathmatch(pattern, name) for name in files), (
            f"babel.cfg pattern {pattern!r} matches no file: fix or remove it"
        )


def test_every_template_and_module_is_extracted():
    """A new folder of templates or code must not be silently left out of extraction."""
    method_map, _ = cli.read_mapping()
    patterns = [pattern for pattern, method in method_map if method != "ignore"]
    tops = {pattern.split("/")[0] for pattern in patterns}
    candidates = [
        name
        for name in _project_files()
        if ("/templates/" in name and name.endswith(".html"))
        or (name.endswith(".py") and name.split("/")[0] in tops)
    ]
    left_out = [
        name for name in candidates if not any(pathmatch(pattern, name) for pattern in patterns)
    ]
    assert not left_out, f"not covered by babel.cfg: {left_out}"


def test_messages_pot_is_up_to_date_with_the_code(template):
    extracted = _keys(cli.extract_catalog())
    pot = _keys(template)
    assert not extracted - pot, (
        f"messages missing from messages.pot ({HELP}): {sorted(extracted - pot)}"
    )
    assert not pot - extracted, (
        f"messages.pot has messages no longer in the code ({HELP}): {sorted(pot - extracted)}"
    )


def test_every_language_in_languages_py_has_a_catalogue():
    assert {
        path.parent.parent.name for path in cli.TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po")
    } == set(LANGUAGES)


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_catalogue_has_every_message_of_the_template(code, template):
    missing = _keys(template) - _keys(catalogue(code))
    assert not missing, f"{code}: {len(missing)} messages missing ({HELP}): {sorted(missing)[:5]}"


@pytest.mark.parametrize("code", ["vi", "en"])
def test_vietnamese_and_english_are_complete(code):
    stats = cli.catalog_stats(code, catalogue(code))
    untranslated = [
        message.id
        for message in catalogue(code)
        if message.id and (message.fuzzy or not cli.is_translated(message))
    ]
    assert not untranslated, f"{code}: untranslated or fuzzy: {untranslated[:10]}"
    assert stats.translated == stats.total


def test_english_translations_are_the_source_text():
    for message in catalogue("en"):
        if message.id:
            expected = message.id if isinstance(message.id, str) else tuple(message.id)
            assert message.string == expected, message.id


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_translations_keep_the_placeholders_of_the_source(code):
    assert cli.check_catalog(catalogue(code)) == []


def test_placeholder_check_catches_a_lost_or_renamed_placeholder():
    catalog = Catalog(locale="vi")
    catalog.add("Welcome back, %(name)s.", "Chào mừng quay lại.")
    catalog.add("Today is %(date)s.", "Hôm nay là %(ngay)s.")
    catalog.add("Sign in", "")
    problems = " ".join(cli.check_catalog(catalog))
    assert "Welcome back" in problems and "Today is" in problems
    assert "Sign in" not in problems


@pytest.mark.parametrize(
    "path",
    sorted(cli.TRANSLATIONS_DIR.glob("**/*.po*")),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_catalogue_text_is_nfc(path: Path):
    text = path.read_text(encoding="utf-8")
    bad = [line for line in text.splitlines() if not unicodedata.is_normalized("NFC", line)]
    assert not bad, f"not NFC: {bad[:3]}"


@pytest.mark.parametrize("code", sorted(c for c, lang in LANGUAGES.items() if not lang.reviewed))
def test_every_translation_awaiting_review_is_marked_as_a_seed(code):
    unmarked = [
        message.id
        for message in catalogue(code)
        if message.id and cli.is_translated(message) and not cli.is_seed(message)
    ]
    assert not unmarked, (
        f"{code} is not reviewed: mark these with '#. {cli.SEED_COMMENT}': {unmarked}"
    )


@pytest.mark.parametrize(
    "code", sorted(c for c, lang in LANGUAGES.items() if lang.formatting_locale != c)
)
def test_languages_cldr_lacks_have_one_plural_form(code):
    catalog = catalogue(code)
    assert catalog.num_plurals == 1
    assert "Plural-Forms: nplurals=1; plural=0;" in cli.po_path(code).read_text("utf-8")


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_catalogue_compiles(code):
    stats = cli.compile_language(code)
    assert stats.errors == []
    assert cli.mo_path(code).stat().st_size > 0
