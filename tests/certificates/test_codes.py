"""Certificate codes: random, 80 bits, printed in groups, read back forgivingly."""

from __future__ import annotations

import pytest

from courses.certificates.codes import ALPHABET, LENGTH, format_code, generate_code, normalise_code


def test_a_code_is_16_crockford_characters_carrying_80_bits():
    codes = {generate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert len(ALPHABET) ** LENGTH == 2**80
    assert not set("ILOU") & set(ALPHABET)
    # every symbol turns up: the codes use the whole alphabet
    assert set("".join(codes)) == set(ALPHABET)


def test_codes_are_printed_in_four_groups():
    assert format_code("7KQ4M2XD9TNEB1HC") == "7KQ4-M2XD-9TNE-B1HC"


@pytest.mark.parametrize(
    "typed",
    [
        "7KQ4-M2XD-9TNE-B1HC",
        "7kq4-m2xd-9tne-b1hc",
        " 7KQ4 M2XD 9TNE B1HC ",
        "7KQ4M2XD9TNEB1HC",
        "7KQ4–M2XD–9TNE–BIHC",  # en dashes from a word processor; I for 1
        "7KQ4-M2XD-9TNE-BLHC",  # L for 1
    ],
)
def test_typed_codes_are_read_forgivingly(typed):
    assert normalise_code(typed) == "7KQ4M2XD9TNEB1HC"


def test_o_is_read_as_zero():
    assert normalise_code("OOOO-OOOO-OOOO-OOOO") == "0" * 16


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "",
        "7KQ4-M2XD-9TNE",  # too short
        "7KQ4-M2XD-9TNE-B1HC-0",  # too long
        "7KQ4-M2XD-9TNE-B1HU",  # U is not in the alphabet
        "7KQ4\x00M2XD9TNEB1HC",
        "ĐKQ4M2XD9TNEB1HC",
        "សុខ" * 6,
        "A" * 10_000,
    ],
)
def test_anything_else_is_not_a_code(junk):
    assert normalise_code(junk) is None
