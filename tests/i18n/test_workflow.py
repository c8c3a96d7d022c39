"""``flask translate update`` and ``compile`` for languages CLDR does not know."""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import write_po

from portal.i18n import cli


def _template(*messages: str | tuple[str, str]) -> Catalog:
    template = Catalog()
    for message in messages:
        template.add(message)
    return template


def _roundtrip(catalog: Catalog, tmp_path, code: str = "rad"):  # type: ignore[no-untyped-def]
    path = tmp_path / "messages.po"
    path.write_bytes(cli.render_po(catalog))
    return cli.read_catalog(path, code), path


def test_new_catalogue_for_an_unknown_locale_says_one_plural_form(tmp_path):
    catalog = cli.new_catalog("rad")
    cli.update_catalog(catalog, _template("Sign in", ("%(count)s unit", "%(count)s units")))
    again, path = _roundtrip(catalog, tmp_path)
    text = path.read_text("utf-8")
    assert "Language: rad" in text and "Plural-Forms: nplurals=1; plural=0;" in text
    assert cli.SEED_COMMENT in text  # the header explains the seed mark
    assert again.num_plurals == 1
    assert "msgstr[1]" not in text
    assert not any(message.fuzzy for message in again if message.id)


def test_update_keeps_translations_and_seed_marks_and_obsoletes_removed_messages(tmp_path):
    catalog = cli.new_catalog("jra")
    cli.update_catalog(catalog, _template("Learn", "Teach", "Gone"))
    catalog["Learn"].string = "Hrăm"
    catalog["Learn"].auto_comments.append(cli.SEED_COMMENT)
    catalog["Gone"].string = "Something"
    catalog, _ = _roundtrip(catalog, tmp_path, "jra")

    cli.update_catalog(catalog, _template("Learn", "Teach", "New"))
    catalog, path = _roundtrip(catalog, tmp_path, "jra")
    assert catalog["Learn"].string == "Hrăm" and cli.is_seed(catalog["Learn"])
    assert catalog["New"].string == "" and not cli.is_seed(catalog["New"])
    assert "Gone" not in catalog and '#~ msgid "Gone"' in path.read_text("utf-8")

    # A message that comes back gets its old translation again.
    cli.update_catalog(catalog, _template("Learn", "Teach", "New", "Gone"))
    assert catalog["Gone"].string == "Something"


def test_compile_leaves_out_untranslated_and_fuzzy_messages_so_they_fall_back(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(cli, "TRANSLATIONS_DIR", tmp_path)
    catalog = cli.new_catalog("rad")
    cli.update_catalog(
        catalog, _template("Home", "Sign in", "Learn", ("%(count)s unit", "%(count)s units"))
    )
    catalog["Learn"].string = "Hriăm"
    catalog["Sign in"].string = "Maybe"
    catalog["Sign in"].flags.add("fuzzy")
    path = cli.po_path("rad")
    path.parent.mkdir(parents=True)
    path.write_bytes(cli.render_po(catalog))

    stats = cli.compile_language("rad")
    assert (stats.translated, stats.total, stats.fuzzy, stats.errors) == (1, 4, 1, [])
    with cli.mo_path("rad").open("rb") as handle:
        compiled = read_mo(handle)
    assert [message.id for message in compiled if message.id] == ["Learn"]


def test_compile_refuses_a_translation_that_loses_a_placeholder(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "TRANSLATIONS_DIR", tmp_path)
    catalog = Catalog(locale="vi")
    catalog.add("Today is %(date)s.", "Hôm nay.", flags=["python-format"])
    path = cli.po_path("vi")
    path.parent.mkdir(parents=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())
    assert cli.compile_language("vi").errors
    assert not cli.mo_path("vi").exists()


def test_placeholders_are_counted_by_name_or_conversion():
    assert cli.placeholders("%(a)s and %(b)d, 100%%") == {"%(a)": 1, "%(b)": 1}
    assert cli.placeholders("%s of %d") == {"%s": 1, "%d": 1}


def test_the_commands_refuse_a_language_the_portal_does_not_offer():
    from click.testing import CliRunner

    runner = CliRunner()
    assert runner.invoke(cli.translate_cli, ["update", "zz"]).exit_code != 0
    assert runner.invoke(cli.translate_cli, ["missing", "mnc"]).exit_code != 0
    result = runner.invoke(cli.translate_cli, ["missing", "vi"])
    assert result.exit_code == 0 and result.output == ""
