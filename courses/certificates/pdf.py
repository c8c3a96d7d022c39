"""The printable certificate: an A4 landscape PDF made with fpdf2.

Fonts are static subsets of Noto Sans (Latin with Vietnamese) and Noto Sans Khmer, shipped in
``data/fonts`` under the SIL Open Font License and embedded (subset) in every PDF, so the
certificate prints the same everywhere without fonts on the server or the reader's device.
Khmer needs text shaping (HarfBuzz, through uharfbuzz). Cham and Tai Viet script are not
covered yet: certificates in those languages print their labels in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask import g
from flask_babel import gettext as _
from fpdf import FPDF

from courses.certificates.models import Certificate, CertificateKind
from portal.i18n.languages import LANGUAGES

FONTS = Path(__file__).resolve().parent / "data" / "fonts"
PRINTABLE_SCRIPTS = {"Latn", "Khmr"}  # scripts the embedded fonts cover
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
INK = (20, 40, 80)
ACCENT = (11, 83, 148)


@contextmanager
def _labels_in(code: str) -> Iterator[None]:
    """Translate the printed labels into the certificate's language (Vietnamese when the
    fonts cannot print its script), whatever the visitor's interface language."""
    language = LANGUAGES.get(code)
    if language is None or language.script not in PRINTABLE_SCRIPTS:
        language = LANGUAGES["vi"]
    saved = g.get("language")
    g.language = language
    try:
        yield
    finally:
        g.language = saved


def local_date(moment: datetime) -> datetime:
    """``moment`` in Vietnam's time, for printing its date."""
    return moment.astimezone(LOCAL_TIME)


def _headline(kind: str) -> tuple[str, str]:
    if kind == CertificateKind.TITLE:
        return _("Certificate of recognition"), _("has been recognised with the title")
    if kind == CertificateKind.PROGRAMME:
        return _("Certificate of completion"), _("has completed the programme")
    return _("Certificate of completion"), _("has completed the course")


def render_pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a PDF; ``verify_url`` is printed and encoded in the QR code."""
    with _labels_in(certificate.language):
        locale = g.language.formatting_locale
        title, phrase = _headline(certificate.kind)
        lines = {
            "certifies": _("This certifies that"),
            "hours": _("Learning hours: %(hours)s", hours=_hours(certificate.hours, locale)),
            "date": _(
                "Issued on %(date)s",
                date=format_date(local_date(certificate.issued_at), "long", locale=locale),
            ),
            "check": _("Check this certificate at"),
            "code": _("Certificate code: %(code)s", code=certificate.display_code),
        }

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"{title}: {certificate.learner_name}")
    pdf.set_creator("Lifelong Learning Portal")
    pdf.set_lang(certificate.language)
    for family, file in (("NotoSans", "NotoSans"), ("NotoSansKhmer", "NotoSansKhmer")):
        pdf.add_font(family, "", FONTS / f"{file}-Regular.ttf")
        pdf.add_font(family, "B", FONTS / f"{file}-Bold.ttf")
    pdf.set_fallback_fonts(["NotoSansKhmer"], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 20, 25)
    pdf.add_page()

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 271, 184)

    def centred(text: str, size: float, *, bold: bool = False, height: float = 10) -> None:
        pdf.set_font("NotoSans", "B" if bold else "", size)
        pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_text_color(*INK)
    pdf.set_y(24)
    centred(certificate.issuer, 13, bold=True, height=7)
    pdf.ln(6)
    pdf.set_text_color(*ACCENT)
    centred(title, 30, bold=True, height=14)
    pdf.set_text_color(*INK)
    pdf.ln(4)
    centred(lines["certifies"], 13, height=8)
    pdf.ln(2)
    centred(certificate.learner_name, 26, bold=True, height=13)
    pdf.ln(2)
    centred(phrase, 13, height=8)
    pdf.ln(1)
    centred(certificate.achievement, 18, bold=True, height=9)
    pdf.ln(3)
    if certificate.hours > 0:
        centred(lines["hours"], 12, height=7)
    centred(lines["date"], 12, height=7)

    _draw_qr(pdf, verify_url, x=237, y=150, size=38)
    pdf.set_xy(25, 158)
    pdf.set_font("NotoSans", "", 10)
    pdf.multi_cell(200, 6, lines["check"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(200, 6, verify_url, link=verify_url, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font("NotoSans", "B", 11)
    pdf.multi_cell(200, 7, lines["code"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` (the same matrix as the page's qr.svg), drawn as vector
    squares with a quiet zone of two modules."""
    matrix = segno.make(url, error="m").matrix
    module = size / (len(matrix) + 4)
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                pdf.rect(x + (column + 2) * module, y + (row + 2) * module, module, module, "F")


def _hours(hours: Decimal, locale: str) -> str:
    return format_decimal(hours, locale=locale)  # 12 → "12", 12.50 → "12,5" in Vietnamese
