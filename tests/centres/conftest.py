"""Fixtures for centres: a community learning centre in the commune of ``small_places`` with a
literacy programme and an open class of ten places, its staff officer, and people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest


@pytest.fixture
def centre(db: Any, small_places: tuple[Any, Any]) -> Any:
    from portal.centres.models import Centre

    _province, commune = small_places
    row = Centre(code="clc-dam-rong", name="Trung tâm học tập cộng đồng xã Đam Rông",
                 kind="clc", commune_id=commune.id)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def programme(db: Any, centre: Any) -> Any:
    from portal.centres.models import Programme

    row = Programme(centre_id=centre.id, type="literacy_1", title="Xóa mù chữ mức độ 1",
                    hours=120)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def centre_class(db: Any, centre: Any, programme: Any) -> Any:
    """An open class of 10 places with three sessions."""
    from portal.centres.models import CentreClass, ClassSession

    row = CentreClass(centre_id=centre.id, programme_id=programme.id, code="XMC-01",
                      title="Lớp xóa mù chữ thôn Đạ Nhar", capacity=10, language="vi",
                      starts_on=date(2026, 9, 7), ends_on=date(2026, 12, 18))  # fmt: skip
    db.session.add(row)
    db.session.flush()
    for day in (date(2026, 9, 7), date(2026, 9, 9), date(2026, 9, 11)):
        db.session.add(ClassSession(class_id=row.id, day=day, start_time=time(19, 0), minutes=90))
    db.session.flush()
    return row


@pytest.fixture
def staff(make_user: Callable[..., Any], centre: Any) -> Any:
    """A staff officer of ``centre``."""
    return make_user(roles=["staff"], scopes={"staff": ("centre", centre.code)})


@pytest.fixture
def add_person(db: Any, centre: Any) -> Callable[..., Any]:
    """``add_person("Lò Thị Mai", phone="0912345678", ...)`` → a Person recorded by ``centre``."""
    from portal.centres import operations

    def make(full_name: str, **fields: Any) -> Any:
        if "phone" in fields:
            fields["phone"] = operations.clean_phone(fields["phone"])
        details = operations.PersonDetails(full_name=full_name, **fields)
        return operations.add_person(details, centre=centre, by=None)

    return make


@pytest.fixture
def english(request: pytest.FixtureRequest, app: Any) -> Any:
    """Messages and pages in English (the tests name the English texts): operations'
    messages are rendered inside a request asking for English, and the test client (when
    the test uses it) sends ``Accept-Language: en``."""
    if "db" in request.fixturenames:
        request.getfixturevalue("db")  # its application context first, then ours on top
    if "client" in request.fixturenames:
        request.getfixturevalue("client").environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    from flask import g

    from portal.i18n import select_language

    with app.test_request_context("/?lang=en"):
        g.language = select_language("en")
        yield


@pytest.fixture
def learner(db: Any, make_user: Callable[..., Any], add_person: Callable[..., Any]) -> Any:
    """``learner(centre_class, name, account=True)`` → (person, user or None, enrolment):
    a person (with an account unless ``account=False``) enrolled in the class."""
    from portal.centres import operations

    def make(centre_class: Any, name: str = "Lò Thị Mai", *, account: bool = True) -> Any:
        user = make_user(full_name=name) if account else None
        person = add_person(name)
        person.user_id = user.id if user else None
        db.session.flush()
        enrolment, _new = operations.enrol(centre_class, person, by=None)
        return person, user, enrolment

    return make
