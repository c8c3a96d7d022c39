"""The generator's own rules (it runs against PyPI, so the suite tests its parts offline)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_places.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("build_places", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_places"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["build_places"]


def test_names_are_cleaned_to_nfc_single_spaces_ascii_apostrophe_and_office_case(build):
    assert build.clean_name("Thị Xã  Mường Lay") == "Thị xã Mường Lay"
    assert build.clean_name("xã Bắc Sơn") == "Xã Bắc Sơn"
    assert build.clean_name("Xã Ea H\u2019Leo") == "Xã Ea H'Leo"
    assert build.clean_name("Xa\u0303 Văn Lăng") == "Xã Văn Lăng"


@pytest.mark.parametrize(
    ("level", "name", "kind"),
    [
        ("province", "Thành phố Huế", "city"),
        ("district", "Thành phố Bắc Kạn", "city"),
        ("district", "Quận Ba Đình", "urban_district"),
        ("district", "Thị xã Mộc Châu", "town"),
        ("commune", "Thị trấn Ngọc Lặc", "township"),
        ("commune", "Đặc khu Côn Đảo", "special_zone"),
        ("commune", "Phường 15", "ward"),
    ],
)
def test_the_kind_comes_from_the_official_prefix(build, level, name, kind):
    assert build.kind_from_name(level, name) == kind


def test_unknown_prefixes_stop_the_build(build):
    with pytest.raises(build.SourceError):
        build.kind_from_name("commune", "Làng Nà Hin")


def test_data_modules_are_read_without_running_them(build):
    tree = ast.parse("X = {4: Ward('Phường Ba Đình', WardCode.W_00004, T.PHUONG, 'x', P.P_01)}")
    assert build._literal(tree.body[0].value) == {
        4: ("Phường Ba Đình", "W_00004", "PHUONG", "x", "P_01")
    }
    with pytest.raises(build.SourceError):
        build._literal(ast.parse("X = f(y=1)").body[0].value)
    assert build._code("P_01", 2) == "01" and build._code(4, 5) == "00004"


def test_validation_reports_a_commune_whose_province_does_not_exist(build):
    after = build.REFORM
    units = [
        build.Unit("province", "19", "province", "Tỉnh Thái Nguyên", "", "", after, None),
        build.Unit("commune", "05665", "commune", "Xã Văn Lăng", "province", "20", after, None),
    ]
    report = build.Report(verbose=False)
    build.validate(units, [], report)
    assert any("no province 20" in failure for failure in report.failures)
    assert any("05665" in f and "predecessor" in f for f in report.failures)
