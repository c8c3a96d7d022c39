"""The yearly round's state machine, operation by operation, with totals computed by hand on
the small set (a1 scale 0–10, a2 choice 0/5/10, b1 scale 0–80 by 5; 80 points and no
indicator under 5 to pass)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from courses.certificates.models import Certificate
from portal.places.queries import today
from portal.recognition import operations
from portal.recognition.models import Model, RecognitionDeadline, Status
from portal.recognition.operations import RecognitionError

D = Decimal


@pytest.fixture
def register(db, small_set, open_round, people):
    def make(subject=None, **kwargs):
        kwargs.setdefault("model", Model.CITIZEN)
        kwargs.setdefault("year", open_round)
        kwargs.setdefault("criteria_set", small_set)
        kwargs.setdefault("by", people["learner"])
        return operations.register(subject or people["learner"], **kwargs)

    return make


def refused(code, call, *args, **kwargs):
    with pytest.raises(RecognitionError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert caught.value.message  # every code has its message
    return caught.value


def actions(assessment):
    return [e.action for e in assessment.events]


def test_a_citizen_goes_from_registration_to_a_title_certificate(db, register, people, places):
    learner, reviewer, approver = people["learner"], people["reviewer"], people["approver"]
    assessment = register()
    assert assessment.status == Status.REGISTERED
    assert assessment.subject_key == f"user:{learner.id}"
    assert assessment.commune_code == "24820" and assessment.province_code == "68"
    assert assessment.gender == "female" and assessment.occupation_group == "enterprise_workers"
    assert sorted(s.indicator for s in assessment.scores) == ["a1", "a2", "b1"]

    assert operations.answer(assessment, {"a1": "8", "a2": "2", "b1": "65"}, by=learner) == []
    assert assessment.status == Status.DRAFT
    assert assessment.total == D("83") and assessment.passed  # 8 + 10 + 65

    result = operations.submit(assessment, by=learner)
    assert result.total == D("83") and assessment.status == Status.SUBMITTED
    assert assessment.submitted_at is not None

    operations.adjust(assessment, "b1", "60", reason="Chưa có xác nhận của đơn vị", by=reviewer)
    assert assessment.total == D("78") and not assessment.passed  # 8 + 10 + 60
    operations.adjust(assessment, "a1", "10", reason="Ảnh kế hoạch rõ ràng", by=reviewer)
    assert assessment.total == D("80") and assessment.passed  # 10 + 10 + 60
    score = next(s for s in assessment.scores if s.indicator == "a1")
    assert (score.self_points, score.points, score.source) == (D("8"), D("10"), "review")

    operations.accept(assessment, by=reviewer, note="Đủ minh chứng")
    assert assessment.status == Status.ACCEPTED and assessment.reviewed_by_id == reviewer.id

    certificate = operations.recognise(assessment, by=approver)
    assert assessment.status == Status.RECOGNISED and assessment.certificate_id == certificate.id
    stored = db.session.get(Certificate, certificate.id)
    assert stored.kind == "title" and stored.learner_name == "Ka Nhi"
    assert stored.user_id == learner.id
    assert str(assessment.year) in stored.achievement
    assert "Xã Đam Rông 1" in stored.issuer

    assert actions(assessment) == ["register", "answer", "answer", "answer", "submit",
                                   "adjust", "adjust", "accept", "recognise"]  # fmt: skip
    adjusted = [e for e in assessment.events if e.action == "adjust"]
    assert [(e.indicator, e.old_points, e.new_points, e.actor_id) for e in adjusted] == [
        ("b1", D("65"), D("60"), reviewer.id),
        ("a1", D("8"), D("10"), reviewer.id),
    ]
    assert adjusted[0].reason == "Chưa có xác nhận của đơn vị"
    answered = {e.indicator: (e.old_points, e.new_points) for e in assessment.events
                if e.action == "answer"}  # fmt: skip
    assert answered == {"a1": (None, D("8")), "a2": (None, D("10")), "b1": (None, D("65"))}
    accepted = next(e for e in assessment.events if e.action == "accept")
    assert accepted.reason == "Đủ minh chứng" and accepted.new_points == D("80")


def test_a_returned_form_is_answered_again_and_resubmitted(register, people):
    learner, reviewer = people["learner"], people["reviewer"]
    assessment = register()
    operations.answer(assessment, {"a1": "5", "a2": "1", "b1": "70"}, by=learner)
    operations.submit(assessment, by=learner)
    refused("no_reason", operations.return_for_changes, assessment, by=reviewer, note=" ")
    operations.return_for_changes(assessment, by=reviewer, note="Thiếu ảnh kế hoạch")
    assert assessment.status == Status.RETURNED
    assert assessment.return_note == "Thiếu ảnh kế hoạch"

    operations.answer(assessment, {"a1": "9"}, by=learner)
    assert assessment.total == D("84")  # 9 + 5 + 70
    operations.submit(assessment, by=learner)
    assert assessment.status == Status.SUBMITTED
    changed = [e for e in assessment.events if e.action == "answer" and e.indicator == "a1"]
    assert [(e.old_points, e.new_points) for e in changed] == [(None, D("5")), (D("5"), D("9"))]
    assert actions(assessment)[-3:] == ["return", "answer", "submit"]


def test_an_answer_that_does_not_change_the_points_writes_no_event(register, people):
    assessment = register()
    operations.answer(assessment, {"a1": "7"}, by=people["learner"])
    operations.answer(assessment, {"a1": "7"}, by=people["learner"])
    assert actions(assessment) == ["register", "answer"]


def test_invalid_answers_are_named_and_valid_ones_kept(register, people):
    assessment = register()
    invalid = operations.answer(
        assessment,
        {"a1": "11", "a2": "7", "b1": "62", "zz": "1", "a1x": "1"},
        by=people["learner"],
    )
    assert sorted(invalid) == ["a1", "a1x", "a2", "b1", "zz"]  # b1 goes by fives
    operations.answer(assessment, {"a1": "6", "a2": "abc", "b1": "60"}, by=people["learner"])
    assert assessment.total == D("66")
    assert {s.indicator: s.points for s in assessment.scores}["a2"] is None


def test_the_approver_declines_with_a_reason(register, people):
    assessment = register()
    operations.answer(assessment, {"a1": "10", "a2": "2", "b1": "80"}, by=people["learner"])
    operations.submit(assessment, by=people["learner"])
    operations.accept(assessment, by=people["reviewer"])
    refused("no_reason", operations.decline, assessment, by=people["approver"], reason="")
    operations.decline(assessment, by=people["approver"], reason="Hồ sơ nộp muộn")
    assert assessment.status == Status.NOT_RECOGNISED and assessment.certificate_id is None
    assert assessment.events[-1].reason == "Hồ sơ nộp muộn"
    refused("cannot_withdraw", operations.withdraw, assessment, by=people["learner"])


def test_a_candidacy_is_withdrawn_once(register, people):
    assessment = register()
    operations.withdraw(assessment, by=people["learner"], reason="  Chuyển   công tác ")
    assert assessment.status == Status.WITHDRAWN
    assert assessment.events[-1].reason == "Chuyển công tác"
    refused("cannot_withdraw", operations.withdraw, assessment, by=people["learner"])
    refused("not_open", operations.answer, assessment, {"a1": "5"}, by=people["learner"])


def test_every_refused_transition_says_why(db, register, people, small_set, criteria, places):
    learner, reviewer, approver = people["learner"], people["reviewer"], people["approver"]
    assessment = register()
    refused("incomplete", operations.submit, assessment, by=learner)
    refused("not_submitted", operations.adjust, assessment, "a1", "5", reason="Lý do", by=reviewer)
    refused("not_submitted", operations.accept, assessment, by=reviewer)
    refused("not_submitted", operations.return_for_changes, assessment, by=reviewer, note="Sửa")
    refused("not_accepted", operations.recognise, assessment, by=approver)
    refused("not_accepted", operations.decline, assessment, by=approver, reason="Không đạt")

    operations.answer(assessment, {"a1": "4", "a2": "2", "b1": "80"}, by=learner)  # 94, a1 < 5
    operations.submit(assessment, by=learner)
    refused("not_open", operations.answer, assessment, {"a1": "5"}, by=learner)
    refused("not_open", operations.submit, assessment, by=learner)
    refused("bad_points", operations.adjust, assessment, "a1", "11", reason="Lý do", by=reviewer)
    refused("bad_points", operations.adjust, assessment, "a1", "-1", reason="Lý do", by=reviewer)
    refused("bad_points", operations.adjust, assessment, "a1", "năm", reason="Lý do", by=reviewer)
    refused("unknown_indicator", operations.adjust, assessment, "zz", "1", reason="Lý do",
            by=reviewer)  # fmt: skip
    refused("unchanged", operations.adjust, assessment, "a1", "4", reason="Lý do", by=reviewer)
    refused("no_reason", operations.adjust, assessment, "a1", "6", reason="  ", by=reviewer)
    operations.accept(assessment, by=reviewer)
    refused("not_submitted", operations.accept, assessment, by=reviewer)
    refused("not_passed", operations.recognise, assessment, by=approver)  # a1 is under 5
    assert assessment.status == Status.ACCEPTED

    refused("already_registered", register)
    refused("wrong_model", register, model=Model.FAMILY)
    refused("set_not_in_force", register, year=2019)
    refused("wrong_subject", register, places["households"][0])
    homeless = people["stranger"]
    refused("no_commune", register, homeless)


def test_registration_and_submission_close_on_their_deadlines(db, small_set, people):
    learner = people["learner"]
    year = today().year
    due = date(year, 6, 30)
    db.session.add_all([
        RecognitionDeadline(year=year, model="citizen", step="register", due_on=due),
        RecognitionDeadline(year=year, model="citizen", step="submit", due_on=due),
    ])  # fmt: skip
    db.session.flush()
    after = due + timedelta(days=1)
    refused("registration_closed", operations.register, learner, model="citizen", year=year,
            criteria_set=small_set, by=learner, today=after)  # fmt: skip
    assessment = operations.register(
        learner, model="citizen", year=year, criteria_set=small_set, by=learner, today=due
    )
    operations.answer(assessment, {"a1": "5", "a2": "1", "b1": "75"}, by=learner)
    refused("submission_closed", operations.submit, assessment, by=learner, today=after)
    operations.submit(assessment, by=learner, today=due)
    assert assessment.status == Status.SUBMITTED


def test_an_officer_may_register_late(db, small_set, people, places, add_member):
    year = today().year
    db.session.add(
        RecognitionDeadline(year=year, model="citizen", step="register", due_on=date(year, 1, 1))
    )
    member = add_member(places["households"][0], full_name="Bà K'Nhai", birth_year=1950)
    late_day = date(year, 1, 2)
    refused("registration_closed", operations.register, member, model="citizen", year=year,
            criteria_set=small_set, by=people["reviewer"], today=late_day)  # fmt: skip
    assessment = operations.register(member, model="citizen", year=year, criteria_set=small_set,
                                     by=people["reviewer"], late=True, today=late_day)  # fmt: skip
    assert assessment.subject_key == f"member:{member.id}" and assessment.user_id is None
    assert assessment.events[0].reason == "late"
    assert assessment.village_id == places["village_a"].id


def test_a_reason_with_control_characters_is_stored_without_them():
    from portal.recognition.operations import _note, _reason

    assert _note("Thiếu\x00 minh\tchứng\n ảnh\x1b") == "Thiếu minh chứng ảnh"
    assert _note("\x00\x01 ") is None
    with pytest.raises(RecognitionError):
        _reason("\x00\x00\x00")
