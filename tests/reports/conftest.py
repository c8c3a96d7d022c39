"""A small country to count by hand: province 68 with communes 24820 (villages A and B)
and 24823 (village C), province 01 with commune 00004 (village D); households, clans, units,
users with occupation groups, commune areas, and assessments of 2026 in various statuses.

The figures each test expects are counted in the comments of ``country``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

YEAR = 2026


@pytest.fixture
def country(db: Any) -> dict[str, Any]:
    """Places, denominators and assessments (all in 2026):

    - households: 24820 → 3 (A: h1, h2; B: h3), 24823 → 1 (C: h4), 00004 → 1 (D: h5)
    - villages: 24820 → 2, 24823 → 1, 00004 → 1; clans: 24820 → 2; units: 24820 → 2,
      00004 → 1
    - workers (users by home commune): 24820 → 3 (u1 rural, u2 enterprise, u3 rural),
      24823 → 1 (u5 rural); unit staff (officials): 24820 → 1 (u4), 00004 → 1 (u6)
    - family: h1 recognised, h2 submitted, h3 registered, h4 recognised, h5 recognised
    - community: village A recognised; clan: clan 1 not recognised; unit: org 1 recognised
    - citizen: u1 recognised (female, 01, 1990, none, rural, A); u2 accepted (male, 02, 2005,
      walking, enterprise, B); u4 recognised (female, 02, 1960, none, officials, A); a member
      withdrawn (female, nothing else, B); u5 returned (male, 01, 1980, none, rural, C);
      u6 recognised (female, 01, 2000, none, officials, D)
    - areas: 24820 ethnic-minority and mountainous, 24823 mountainous, 00004 neither
    """
    from portal.accounts.models import User
    from portal.places.models import AdminUnit, Household, HouseholdMember, Village
    from portal.recognition.models import (
        Assessment,
        Clan,
        CommuneArea,
        CriteriaSet,
        Organisation,
    )
    from portal.text import fold

    add = db.session.add

    def unit(level: str, code: str, name: str, parent: Any = None) -> Any:
        row = AdminUnit(
            level=level,
            code=code,
            kind=level,
            name=name,
            search_name=fold(name),
            parent_id=parent.id if parent else None,
            valid_from=date(2025, 7, 1),
        )
        add(row)
        db.session.flush()
        return row

    p68 = unit("province", "68", "Tỉnh Lâm Đồng")
    p01 = unit("province", "01", "Thành phố Hà Nội")
    c1 = unit("commune", "24820", "Xã Đam Rông 1", p68)
    c2 = unit("commune", "24823", "Xã Đam Rông 2", p68)
    c3 = unit("commune", "00004", "Phường Ba Đình", p01)
    villages = {
        "A": Village(commune_id=c1.id, name="Thôn Đạ Nhar"),
        "B": Village(commune_id=c1.id, name="Buôn Liêng Trang", kind="other"),
        "C": Village(commune_id=c2.id, name="Thôn Một"),
        "D": Village(commune_id=c3.id, name='=HYPERLINK("x")', kind="to_dan_pho"),
    }
    db.session.add_all(villages.values())
    db.session.flush()
    h = {}
    for key, village in (("h1", "A"), ("h2", "A"), ("h3", "B"), ("h4", "C"), ("h5", "D")):
        h[key] = Household(village_id=villages[village].id, name=f"Hộ {key}")
        add(h[key])
    clans = [Clan(commune_id=c1.id, village_id=villages[v].id, name=f"Dòng họ {v}") for v in "AB"]
    orgs = [Organisation(name="Trường 1", kind="school", commune_id=c1.id),
            Organisation(name="UBND", kind="agency", commune_id=c1.id),
            Organisation(name="Phường", kind="agency", commune_id=c3.id)]  # fmt: skip
    db.session.add_all([*clans, *orgs])
    for code, em, mountain in (("24820", True, True), ("24823", False, True),
                               ("00004", False, False)):  # fmt: skip
        add(CommuneArea(code=code, is_ethnic_minority_area=em, is_mountainous=mountain))
    criteria = CriteriaSet(code="test", version=1, model="family", effective_from=date(2025, 1, 1),
                           definition={}, digest="0" * 64)  # fmt: skip
    add(criteria)
    db.session.flush()

    def person(n: int, occupation: str, commune: Any) -> Any:  # no password to hash: fast
        user = User(full_name=f"Người {n}", password_hash="-", session_token=f"{n:032d}",
                    occupation_group=occupation, home_commune_id=commune.id)  # fmt: skip
        add(user)
        return user

    users = {
        "u1": person(1, "rural_workers", c1),
        "u2": person(2, "enterprise_workers", c1),
        "u3": person(3, "rural_workers", c1),
        "u4": person(4, "officials", c1),
        "u5": person(5, "rural_workers", c2),
        "u6": person(6, "officials", c3),
    }
    member = HouseholdMember(household_id=h["h3"].id, full_name="Ka Thị", gender="female")
    add(member)
    db.session.flush()
    place = {"A": ("24820", "68"), "B": ("24820", "68"), "C": ("24823", "68"), "D": ("00004", "01")}

    def assess(model: str, key: str, status: str, village: str, **fields: Any) -> Any:
        commune, province = place[village]
        row = Assessment(
            year=YEAR,
            model=model,
            criteria_set_id=criteria.id,
            status=status,
            subject_key=key,
            subject_name=key,
            commune_code=commune,
            province_code=province,
            village_id=villages[village].id,
            **fields,
        )
        add(row)
        return row

    assessments = [
        assess("family", f"household:{h['h1'].id}", "recognised", "A", household_id=h["h1"].id),
        assess("family", f"household:{h['h2'].id}", "submitted", "A", household_id=h["h2"].id),
        assess("family", f"household:{h['h3'].id}", "registered", "B", household_id=h["h3"].id),
        assess("family", f"household:{h['h4'].id}", "recognised", "C", household_id=h["h4"].id),
        assess("family", f"household:{h['h5'].id}", "recognised", "D", household_id=h["h5"].id),
        assess("community", f"village:{villages['A'].id}", "recognised", "A"),
        assess("clan", f"clan:{clans[0].id}", "not_recognised", "A", clan_id=clans[0].id),
        assess("unit", f"organisation:{orgs[0].id}", "recognised", "A", organisation_id=orgs[0].id),
        assess(
            "citizen",
            "u1",
            "recognised",
            "A",
            user_id=users["u1"].id,
            gender="female",
            ethnicity_code="01",
            birth_year=1990,
            disability="none",
            occupation_group="rural_workers",
        ),
        assess(
            "citizen",
            "u2",
            "accepted",
            "B",
            user_id=users["u2"].id,
            gender="male",
            ethnicity_code="02",
            birth_year=2005,
            disability="walking",
            occupation_group="enterprise_workers",
        ),
        assess(
            "citizen",
            "u4",
            "recognised",
            "A",
            user_id=users["u4"].id,
            gender="female",
            ethnicity_code="02",
            birth_year=1960,
            disability="none",
            occupation_group="officials",
        ),
        assess(
            "citizen", f"member:{member.id}", "withdrawn", "B", member_id=member.id, gender="female"
        ),
        assess(
            "citizen",
            "u5",
            "returned",
            "C",
            user_id=users["u5"].id,
            gender="male",
            ethnicity_code="01",
            birth_year=1980,
            disability="none",
            occupation_group="rural_workers",
        ),
        assess(
            "citizen",
            "u6",
            "recognised",
            "D",
            user_id=users["u6"].id,
            gender="female",
            ethnicity_code="01",
            birth_year=2000,
            disability="none",
            occupation_group="officials",
        ),
    ]
    db.session.flush()
    return {"villages": villages, "households": h, "users": users, "clans": clans,
            "organisations": orgs, "assessments": assessments, "member": member,
            "communes": (c1, c2, c3), "provinces": (p68, p01)}  # fmt: skip


@pytest.fixture
def officer(make_user: Any, sign_in: Any) -> Any:
    """``officer(role, kind, code)`` signs in a new officer of that scope."""

    def make(role: str, kind: str | None = None, code: str | None = None) -> Any:
        scopes = {role: (kind, code)} if kind else None
        user = make_user(roles=(role,), scopes=scopes, language="en")
        sign_in(user)
        return user

    return make
