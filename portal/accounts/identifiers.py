"""Parsing what people type to sign in: a Vietnamese mobile number or an e-mail address."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import NumberParseException, PhoneNumberType

from portal.text import nfc


class IdentifierError(ValueError):
    """What was typed is neither a Vietnamese mobile number nor an e-mail address."""


def normalise_phone(raw: str) -> str:
    """E.164 form (``+84912345678``) of a Vietnamese mobile number typed as
    ``0912 345 678``, ``+84 912 345 678`` or ``84912345678``."""
    text = raw.strip()
    if text.startswith("84") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "VN")
    except NumberParseException as exc:
        raise IdentifierError(str(exc)) from None
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise IdentifierError("not a valid Vietnamese number")
    if phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise IdentifierError("not a mobile number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """A checked, lower-cased e-mail address (no DNS look-up)."""
    try:
        result = validate_email(nfc(raw.strip()), check_deliverability=False)
    except EmailNotValidError as exc:
        raise IdentifierError(str(exc)) from None
    return result.normalized.lower()


def parse_identifier(raw: str) -> tuple[str, str]:
    """``("email", address)`` or ``("phone", e164)`` for what someone typed to sign in."""
    if "@" in raw:
        return "email", normalise_email(raw)
    return "phone", normalise_phone(raw)


def display_phone(e164: str) -> str:
    """A stored number as Vietnamese people write it: ``0912 345 678``."""
    number = phonenumbers.parse(e164, "VN")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
