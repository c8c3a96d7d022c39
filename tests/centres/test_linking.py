"""A person a centre recorded before they had an account is linked to their account when they
sign in (same phone, same name with or without accents), and their class history becomes
their learning records; someone else with the same phone (a relative) is not linked."""

from __future__ import annotations

import sqlalchemy as sa

from courses.records.models import LearnerYearHours, Statement
from portal.centres import attendance, operations, records
from portal.centres.models import Person


def _attended(db, user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Statement.user_id == user.id,
            Statement.verb_iri == records.ATTENDED,
            Statement.is_voided.is_(False),
        )
    )


def test_signing_in_links_the_person_and_records_their_past_classes(
    db, client, sign_in, centre_class, staff, add_person, make_user
):
    person = add_person("Lò Thị Mai", phone="0912 345 678")
    enrolment, _new = operations.enrol(centre_class, person, by=staff)
    attendance.take_attendance(centre_class.sessions[0], {enrolment.id: "present"}, by=staff)
    assert person.user_id is None

    user = make_user(full_name="Lo Thi Mai", phone="0912345678")  # typed without accents
    sign_in(user)
    db.session.expire_all()
    assert db.session.get(Person, person.id).user_id == user.id
    assert _attended(db, user) == 1
    hours = db.session.scalar(
        sa.select(LearnerYearHours.duration_ms).where(LearnerYearHours.user_id == user.id)
    )
    assert hours == 90 * 60_000
    # The dashboard lists the class.
    assert centre_class.title in client.get("/dashboard").get_data(as_text=True)


def test_a_relative_sharing_the_phone_is_not_linked(db, centre_class, staff, add_person, make_user):
    person = add_person("Lò Văn Pọm", phone="0912345678")
    user = make_user(full_name="Lò Thị Mai", phone="0912345678")
    assert operations.link_account(user) is None
    assert person.user_id is None
    # person_for_user then makes the account its own person record.
    own = operations.person_for_user(user)
    assert own.id != person.id and own.user_id == user.id


def test_an_account_already_linked_is_left_alone(db, centre_class, add_person, make_user):
    user = make_user(full_name="Lò Thị Mai", phone="0912345678")
    own = operations.person_for_user(user)
    add_person("Lò Thị Mai", phone="0912345678", national_id="012345678901")
    assert operations.link_account(user) is None
    assert operations.person_for_user(user).id == own.id
