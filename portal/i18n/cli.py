"""``flask translate``: extract messages, update catalogues, compile them.

``pybabel init``/``update`` refuse locales that CLDR does not know (Ede ``rad``, Jrai ``jra``,
Tày ``tyz`` ...), so this module reads and writes the catalogues with Babel's library functions
instead. It works without the application too, for the build::

    python -m portal.i18n.cli compile      # same as: flask translate compile

The functions below are also used by the tests in ``tests/i18n``.
"""

from __future__ import annotations

import io
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import click
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileParser, write_po
from flask.cli import AppGroup

from portal.i18n import TRANSLATIONS_DIR
from portal.i18n.languages import LANGUAGES

ROOT = TRANSLATIONS_DIR.parent
POT = TRANSLATIONS_DIR / "messages.pot"
BABEL_CFG = ROOT / "babel.cfg"
PROJECT = "lifelong-learning-portal"
COPYRIGHT = "the Lifelong Learning Portal contributors"
DOMAIN = "messages"

#: Call names whose string arguments are messages (Flask-Babel's, and the house's ``_l``).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
    "lazy_npgettext": ((1, "c"), 2, 3),
}
#: Comments starting with this, just above a message, reach translators (``# i18n: ...``).
COMMENT_TAGS = ("i18n:",)
#: The mark on a seed translation that a native speaker has not reviewed yet.
SEED_COMMENT = "i18n: seed translation, to be reviewed by a native speaker"
#: Plural rule for languages CLDR does not know: like Vietnamese, no grammatical plural.
UNKNOWN_PLURAL_FORMS = "nplurals=1; plural=0;"
WIDTH = 76

_DATE_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)
_PLACEHOLDER = re.compile(
    r"%(?:\((\w*)\))?[-#0 +]?(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrs%])"
)


def po_path(code: str) -> Path:
    """Where the catalogue of the language ``code`` lives."""
    return TRANSLATIONS_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(code: str) -> Path:
    return po_path(code).with_suffix(".mo")


# --- extract -------------------------------------------------------------------------------


def read_mapping(path: Path = BABEL_CFG) -> tuple[list[tuple[str, str]], dict[str, dict]]:
    """The ``(pattern, method)`` list and per-pattern options of babel.cfg."""
    with path.open(encoding="utf-8") as fileobj:
        return parse_mapping_cfg(fileobj, filename=str(path))


def extract_catalog(root: Path = ROOT, mapping: Path = BABEL_CFG) -> Catalog:
    """Every message in the code and templates that babel.cfg names, as a template catalogue."""
    method_map, options_map = read_mapping(mapping)
    tops = {pattern.split("/")[0] for pattern, _ in method_map}
    walk_all = any(any(ch in top for ch in "*?[") for top in tops)

    def directory_filter(dirpath: str) -> bool:
        name = os.path.basename(dirpath)
        if name.startswith((".", "_")) or name == "node_modules":
            return False
        relative = Path(os.path.relpath(dirpath, root)).parts
        return walk_all or not relative or relative[0] in tops

    catalog = Catalog(
        project=PROJECT, version="1.0", charset="utf-8", fuzzy=False, copyright_holder=COPYRIGHT
    )
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=False,
        directory_filter=directory_filter,
    ):
        catalog.add(
            message,
            None,
            [(filename.replace(os.sep, "/"), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def render_po(catalog: Catalog, *, template: bool = False) -> bytes:
    """The catalogue as .po/.pot text: sorted, file names without line numbers (so that moving
    code does not touch every catalogue), obsolete messages kept for translators."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=WIDTH,
        sort_output=True,
        include_lineno=False,
        ignore_obsolete=template,
        omit_header=False,
    )
    return buffer.getvalue()


def write_if_changed(path: Path, content: bytes) -> bool:
    """Write ``content`` unless the file already says the same apart from its dates."""
    if path.exists() and _DATE_LINE.sub(b"", path.read_bytes()) == _DATE_LINE.sub(b"", content):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, content)
    return True


def _atomic_write(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PortalCatalog(Catalog):
    """A catalogue that always writes its ``Plural-Forms`` header: Babel leaves it out for
    a locale CLDR does not know, and would then read the catalogue back with two forms."""

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        headers = super()._get_mime_headers()
        if not any(name == "Plural-Forms" for name, _ in headers):
            names = [name for name, _ in headers]
            at = names.index("MIME-Version") if "MIME-Version" in names else len(headers)
            headers.insert(at, ("Plural-Forms", self.plural_forms))
        return headers

    mime_headers = property(_get_mime_headers, Catalog._set_mime_headers)  # type: ignore[assignment]


def read_catalog(path: Path, locale: str | None = None) -> PortalCatalog:
    """Read a .po/.pot file, whether or not CLDR knows its locale."""
    catalog = PortalCatalog(locale=locale, domain=DOMAIN)
    with path.open("rb") as fileobj:
        PoFileParser(catalog, ignore_obsolete=False).parse(fileobj)
    return catalog


def plural_forms(code: str) -> str | None:
    """The plural rule a language's catalogue must declare. Languages formatted with another
    locale's data (CLDR lacks them) have no grammatical plural, like Vietnamese; ``None``
    means CLDR's rule for the language."""
    language = LANGUAGES[code]
    return UNKNOWN_PLURAL_FORMS if language.formatting_locale != code else None


# --- update --------------------------------------------------------------------------------


def new_catalog(code: str) -> Catalog:
    """An empty catalogue for ``code``; languages CLDR lacks get a one-form plural rule."""
    language = LANGUAGES[code]
    catalog = PortalCatalog(
        locale=code,
        domain=DOMAIN,
        project=PROJECT,
        version="1.0",
        charset="utf-8",
        fuzzy=False,
        copyright_holder=COPYRIGHT,
        language_team=f"{language.english} reviewers",
    )
    if plural_forms(code):
        catalog.mime_headers = [("Plural-Forms", plural_forms(code))]
    if not language.reviewed:
        catalog.header_comment = (
            f"# {language.english} ({language.endonym}) messages of the Lifelong Learning Portal.\n"
            "#\n"
            "# Not yet reviewed. Each seed translation carries the extracted comment\n"
            f"#   {SEED_COMMENT}\n"
            "# until a native speaker has checked it (see translations/README.md).\n"
            "# Messages left empty are shown in Vietnamese, then English.\n"
        )
    return catalog


def is_seed(message: Message) -> bool:
    return SEED_COMMENT in message.auto_comments or SEED_COMMENT in message.user_comments


def update_catalog(catalog: Catalog, template: Catalog) -> Catalog:
    """Merge ``template`` into ``catalog``: new messages are added empty, removed ones become
    obsolete (kept as ``#~`` for translators) and come back with their translation if the
    message reappears; seed marks survive."""
    seeds = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalog
        if message.id and is_seed(message)
    }
    seeds |= {key for key, message in catalog.obsolete.items() if is_seed(message)}
    # Messages that come back: restore their old translation before merging.
    for key, message in list(catalog.obsolete.items()):
        msgid = message.id
        if msgid in template and msgid not in catalog:
            catalog[msgid] = message
            del catalog.obsolete[key]
    rule = catalog.plural_forms
    catalog.update(
        template,
        no_fuzzy_matching=True,
        update_header_comment=False,
        keep_user_comments=True,
        update_creation_date=False,
    )
    catalog.mime_headers = [("Plural-Forms", rule)]
    for message in catalog:
        key = message.id if isinstance(message.id, str) else (message.id or ("",))[0]
        if message.id and key in seeds and message.string and not is_seed(message):
            message.auto_comments.append(SEED_COMMENT)
    return catalog


def update_language(code: str, template: Catalog) -> bool:
    """Bring one language's catalogue up to date with ``template``; True if it changed."""
    path = po_path(code)
    catalog = read_catalog(path, code) if path.exists() else new_catalog(code)
    if plural_forms(code):
        catalog.mime_headers = [("Plural-Forms", plural_forms(code))]
    update_catalog(catalog, template)
    return write_if_changed(path, render_po(catalog))


# --- compile -------------------------------------------------------------------------------


@dataclass
class Stats:
    code: str
    translated: int = 0
    total: int = 0
    fuzzy: int = 0
    seeds: int = 0
    errors: list[str] = field(default_factory=list)


def placeholders(text: str) -> Counter[str]:
    """The ``%``-placeholders of a message: names for ``%(name)s``, the conversion for ``%s``."""
    found: Counter[str] = Counter()
    for name, conversion in _PLACEHOLDER.findall(text):
        if conversion == "%" and not name:
            continue  # a literal "%%"
        found[f"%({name})" if name else f"%{conversion}"] += 1
    return found


def check_message(message: Message) -> list[str]:
    """Problems with a translated message: placeholders that differ from the source text."""
    if not message.id or not message.string:
        return []
    problems = []
    if isinstance(message.id, str):
        source = set(placeholders(message.id))
        target = set(placeholders(message.string))  # type: ignore[arg-type]
        if source != target:
            problems.append(
                f"{message.id!r}: placeholders {sorted(target)} instead of {sorted(source)}"
            )
        return problems
    singular, plural = (set(placeholders(text)) for text in message.id[:2])
    allowed = singular | plural
    strings = [s for s in message.string if s]
    for string in strings:
        extra = set(placeholders(string)) - allowed
        if extra:
            problems.append(f"{message.id[0]!r}: unknown placeholders {sorted(extra)}")
    if strings and len(strings) == len(message.string) and set(placeholders(strings[-1])) != plural:
        problems.append(f"{message.id[0]!r}: last plural form must use {sorted(plural)}")
    return problems


def check_catalog(catalog: Catalog) -> list[str]:
    """Babel's checks (python-format, number of plural forms) and the placeholder check."""
    problems = []
    for message, errors in catalog.check():
        problems.extend(f"{message.id!r}: {error}" for error in errors)
    for message in catalog:
        problems.extend(check_message(message))
    return problems


def is_translated(message: Message) -> bool:
    if isinstance(message.string, str):
        return bool(message.string)
    return bool(message.string) and all(message.string)


def catalog_stats(code: str, catalog: Catalog) -> Stats:
    stats = Stats(code)
    for message in catalog:
        if not message.id:
            continue
        stats.total += 1
        if message.fuzzy:
            stats.fuzzy += 1
        elif is_translated(message):
            stats.translated += 1
            stats.seeds += is_seed(message)
    return stats


def compile_language(code: str) -> Stats:
    """Compile one catalogue to .mo. Only complete, non-fuzzy translations go in, so that
    everything else falls back along the language's chain (an incomplete plural would
    otherwise be filled with the English source text by Babel)."""
    catalog = read_catalog(po_path(code), code)
    stats = catalog_stats(code, catalog)
    stats.errors = check_catalog(catalog)
    if stats.errors:
        return stats
    for message in list(catalog):
        if message.id and (message.fuzzy or not is_translated(message)):
            catalog.delete(message.id, message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    _atomic_write(mo_path(code), buffer.getvalue())
    return stats


def compile_all(codes: Iterable[str] | None = None) -> list[Stats]:
    return [compile_language(code) for code in (codes or LANGUAGES) if po_path(code).exists()]


# --- commands ------------------------------------------------------------------------------

translate_cli = AppGroup("translate", help="Manage the interface message catalogues.")


@translate_cli.command("extract", with_appcontext=False)
def extract() -> None:
    """Extract messages from the code and templates into translations/messages.pot."""
    template = extract_catalog()
    changed = write_if_changed(POT, render_po(template, template=True))
    click.echo(
        f"{'wrote' if changed else 'unchanged'} {POT.relative_to(ROOT)}: {len(template)} messages"
    )


@translate_cli.command("update", with_appcontext=False)
@click.argument("codes", nargs=-1)
def update(codes: tuple[str, ...]) -> None:
    """Merge messages.pot into every language's catalogue (or only CODES), creating missing
    ones. Works for languages CLDR does not know."""
    unknown = [code for code in codes if code not in LANGUAGES]
    if unknown:
        raise click.BadParameter(f"not offered in portal/i18n/languages.py: {', '.join(unknown)}")
    template = read_catalog(POT)
    for code in codes or LANGUAGES:
        changed = update_language(code, template)
        stats = catalog_stats(code, read_catalog(po_path(code), code))
        click.echo(
            f"{'updated' if changed else 'unchanged'} {po_path(code).relative_to(ROOT)}: "
            f"{stats.translated}/{stats.total} translated"
        )


@translate_cli.command("missing", with_appcontext=False)
@click.argument("code")
def missing(code: str) -> None:
    """List the messages CODE's catalogue lacks (empty or fuzzy), as they fall back."""
    if code not in LANGUAGES:
        raise click.BadParameter(f"not offered in portal/i18n/languages.py: {code}")
    catalog = read_catalog(po_path(code), code)
    for message in catalog:
        if message.id and (message.fuzzy or not is_translated(message)):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            click.echo(f"{'fuzzy' if message.fuzzy else 'empty'}\t{msgid}")


@translate_cli.command("compile", with_appcontext=False)
def compile_() -> None:
    """Compile every catalogue to .mo (the build does this; .mo files are not committed).
    Fails if a translation's placeholders differ from its source text."""
    failed = False
    for stats in compile_all():
        note = f", {stats.fuzzy} fuzzy" if stats.fuzzy else ""
        note += f", {stats.seeds} seed" if stats.seeds else ""
        click.echo(f"{stats.code}: {stats.translated}/{stats.total} translated{note}")
        for error in stats.errors:
            failed = True
            click.echo(f"  error: {error}", err=True)
    if failed:
        raise click.ClickException("some catalogues were not compiled")


if __name__ == "__main__":  # python -m portal.i18n.cli compile
    sys.exit(translate_cli.main(prog_name="python -m portal.i18n.cli"))
