"""The recognition pages through the test client: a learner registers, answers, saves and
submits; a reviewer of the commune adjusts and accepts, one of another commune never sees
it; the approver recognises and the certificate's verify page shows the title."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest

from portal.recognition import operations
from portal.recognition.models import Assessment, Clan, Organisation, RecognitionDeadline, Status

D = Decimal


def html(response):
    """The page's text with entities decoded ("K'Brơi", not "K&#39;Brơi")."""
    return unescape(response.get_data(as_text=True))


def fresh(row):
    """The row as the requests left it (they commit in a session of their own)."""
    from portal.extensions import db

    db.session.refresh(row)
    return row


def flashes(response):
    return " ".join(re.findall(r'class="flash flash-\w+"[^>]*>(.*?)</p>', html(response), re.S))


@pytest.fixture
def registered(db, small_set, open_round, people):
    """The learner's candidacy on the small set, registered by the operation."""
    learner = people["learner"]
    return operations.register(
        learner, model="citizen", year=open_round, criteria_set=small_set, by=learner
    )


@pytest.fixture
def submitted(registered, people):
    operations.answer(registered, {"a1": "8", "a2": "2", "b1": "70"}, by=people["learner"])
    operations.submit(registered, by=people["learner"])
    return registered


def test_the_learner_sees_the_set_of_their_occupation_group_and_registers(
    db, client, sign_in, criteria, open_round, people
):
    sign_in(people["learner"])
    page = html(client.get("/titles"))
    assert "You have not registered for a title yet." in page
    chosen = re.search(r'<option value="(\d+)" selected>', page)
    assert chosen and int(chosen.group(1)) == criteria["citizen-workers"].id
    assert f"Learning Family {open_round}" not in page  # not the head of a household
    response = client.post(
        "/titles/register",
        data={"model": "citizen", "year": open_round, "criteria_set": chosen.group(1)},
    )
    assessment = db.session.scalar(db.select(Assessment))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/titles/{assessment.id}")
    assert assessment.criteria_set_id == criteria["citizen-workers"].id
    assert assessment.registered_by_id == people["learner"].id
    page = html(client.get("/titles"))
    assert f"/titles/{assessment.id}" in page and "Registered" in page
    again = client.post(
        "/titles/register",
        data={"model": "citizen", "year": open_round, "criteria_set": chosen.group(1)},
        follow_redirects=True,
    )
    assert "Already registered for this title in that year." in flashes(again)


def test_the_head_of_a_household_registers_it_as_a_learning_family(
    db, client, sign_in, criteria, open_round, people, places, add_member
):
    household = places["households"][0]
    add_member(household, people["learner"], relation="head")
    sign_in(people["learner"])
    page = html(client.get("/titles"))
    assert f"Learning Family {open_round}" in page and household.name in page
    response = client.post(
        "/titles/register",
        data={"model": "family", "year": open_round, "criteria_set": criteria["family"].id},
    )
    assert response.status_code == 302
    assessment = db.session.scalar(db.select(Assessment).filter_by(model="family"))
    assert assessment.household_id == household.id
    assert assessment.respondent_id == people["learner"].id


def test_a_member_who_is_not_the_head_cannot_register_the_household(
    client, sign_in, criteria, open_round, people, places, add_member
):
    add_member(places["households"][0], people["learner"], relation="child")
    sign_in(people["learner"])
    response = client.post(
        "/titles/register",
        data={"model": "family", "year": open_round, "criteria_set": criteria["family"].id},
    )
    assert response.status_code == 403


def test_registration_after_the_deadline_is_refused_with_its_message(
    db, client, sign_in, small_set, people
):
    from portal.places.queries import today

    year, yesterday = today().year, today() - timedelta(days=1)
    for step_year in (year, year + 1):
        db.session.add(RecognitionDeadline(year=step_year, model="citizen", step="register",
                                           due_on=yesterday))  # fmt: skip
    db.session.flush()
    sign_in(people["learner"])
    assert "Registration is closed for this year." in html(client.get("/titles"))
    response = client.post(
        "/titles/register",
        data={"model": "citizen", "year": year, "criteria_set": small_set.id},
        follow_redirects=True,
    )
    assert "Registration for this year has closed." in flashes(response)
    assert db.session.scalar(db.select(Assessment)) is None


def test_the_learner_answers_saves_and_submits(db, client, sign_in, registered, people):
    sign_in(people["learner"])
    url = f"/titles/{registered.id}"
    page = html(client.get(url))
    assert "Has a learning plan" in page and "A written plan" in page
    assert 'name="answer-a1"' in page and 'type="radio" id="a-a2-2"' in page
    assert "recognition.js" in page
    response = client.post(f"{url}/answers", data={"answer-a1": "8", "answer-a2": "1"})
    assert response.status_code == 302
    page = html(client.get(url))
    assert "Saved." in page
    assert '<option value="8" selected>' in page and 'value="1" data-points="5.00" checked' in page
    assert re.search(r'<output id="total">13</output>', page)  # 8 + 5
    assert "Not answered yet: b1." in page and "under the 80 points needed" in page

    incomplete = client.post(f"{url}/answers", data={"answer-a2": "2", "action": "submit"},
                             follow_redirects=True)  # fmt: skip
    assert "Answer every indicator before submitting." in flashes(incomplete)
    assert fresh(registered).status == Status.DRAFT
    assert fresh(registered).total == D("18")  # the answer was kept: 8 + 10

    done = client.post(f"{url}/answers", data={"answer-b1": "75", "action": "submit"},
                       follow_redirects=True)  # fmt: skip
    assert "Submitted." in flashes(done)
    assert fresh(registered).status == Status.SUBMITTED and fresh(registered).total == D("93")
    assert "The answers meet the criteria for the title." in html(done)
    assert 'name="answer-a1"' not in html(done)  # read-only now
    late = client.post(f"{url}/answers", data={"answer-a1": "1"}, follow_redirects=True)
    assert late.status_code == 403


def test_automatic_indicators_show_their_points_and_records(
    db, client, sign_in, criteria, open_round, people
):
    from courses.certificates.operations import issue_certificate

    learner = people["learner"]
    issue_certificate(learner, kind="programme", achievement="Kỹ năng số cơ bản", hours=12,
                      issuer="Trung tâm GDNN-GDTX")  # fmt: skip
    workers = criteria["citizen-workers"]
    assessment = operations.register(
        learner, model="citizen", year=open_round, criteria_set=workers, by=learner
    )
    sign_in(learner)
    page = html(client.get(f"/titles/{assessment.id}"))
    assert 'name="answer-2.3"' not in page and 'name="answer-1.1"' in page
    assert "From your learning records: 7 points." in page  # one certificate: 7 points
    assert "Kỹ năng số cơ bản" in page and "Records (1)" in page
    export = html(client.get(f"/titles/{assessment.id}/scores.csv"))
    assert "Kỹ năng số cơ bản" in export


def test_tampered_answers_are_named_and_the_valid_ones_saved(client, sign_in, registered, people):
    sign_in(people["learner"])
    response = client.post(
        f"/titles/{registered.id}/answers",
        data={"answer-a1": "7", "answer-a2": "9", "answer-b1": "12", "answer-zz": "x" * 99},
        follow_redirects=True,
    )
    message = flashes(response)
    assert "not valid" in message and "a2, b1, zz" in message
    assert {s.indicator: s.points for s in fresh(registered).scores} == {
        "a1": D("7"),
        "a2": None,
        "b1": None,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/titles/999999",
        "/titles/99999999999999999999",
        "/titles/1/evidence/99999999999999999999",
        "/titles/999999/review",
        "/titles/999999/scores.csv",
        "/titles/999999/evidence/1",
        "/titles/abc",
        "/titles/review?year=abc&model=%00&status=zzz",
        "/titles?x=%FF",
        "/titles/commune?commune=%00&year=-1",
        "/admin/titles/deadlines?year=abc",
        "/admin/criteria/999999",
        "/admin/criteria/999999.yaml",
    ],
)
def test_junk_addresses_never_answer_500(client, sign_in, people, path):
    sign_in(people["admin"] if path.startswith("/admin") else people["reviewer"])
    assert client.get(path).status_code in (200, 404)


def test_junk_posts_never_answer_500(client, sign_in, registered, people, small_set):
    sign_in(people["learner"])
    base = f"/titles/{registered.id}"
    for path, data in [
        ("/titles/register", {"model": "x", "year": "2026", "criteria_set": "1"}),
        ("/titles/register", {"model": "citizen", "year": "abc", "criteria_set": "zz"}),
        ("/titles/register", {"model": "citizen", "year": "1999", "criteria_set": small_set.id}),
        (
            "/titles/register",
            {"model": "citizen", "year": registered.year, "criteria_set": "9" * 20},
        ),
        (f"{base}/answers", {"answer-a1": "1e400", "answer-a2": "-0", "answer-": "1"}),
        (f"{base}/evidence", {"indicator": "nope", "kind": "x"}),
        (f"{base}/evidence/999999/remove", {}),
        (f"{base}/withdraw", {"reason": "x" * 5000}),
        (f"{base}/adjust", {"indicator": "a1", "points": "abc", "reason": "r"}),
    ]:
        assert client.post(path, data=data).status_code in (302, 400, 403, 404), path


def test_control_characters_never_reach_the_database(client, sign_in, submitted, people):
    sign_in(people["reviewer"])
    response = client.post(
        f"/titles/{submitted.id}/adjust",
        data={"indicator": "b1", "points": "6\x005", "reason": "Thiếu\x00 xác nhận\x1b"},
    )
    assert response.status_code == 302
    assert fresh(submitted).total == D("83")
    client.post(f"/titles/{submitted.id}/return", data={"note": "Bổ\x00 sung"})
    assert fresh(submitted).return_note == "Bổ sung"


def test_reviewers_of_the_commune_adjust_and_accept(client, sign_in, submitted, people):
    sign_in(people["reviewer"])
    listing = html(client.get("/titles/review"))
    assert "Ka Nhi" in listing and f"/titles/{submitted.id}/review" in listing
    assert html(client.get("/titles/review?status=accepted")).count("Ka Nhi") == 0
    review = html(client.get(f"/titles/{submitted.id}/review"))
    assert 'name="reason"' in review and "Return for changes" in review

    missing = client.post(
        f"/titles/{submitted.id}/adjust",
        data={"indicator": "b1", "points": "60"},
        follow_redirects=True,
    )
    assert "Give the points and the reason" in flashes(missing)
    bad = client.post(
        f"/titles/{submitted.id}/adjust",
        data={"indicator": "b1", "points": "99", "reason": "Quá điểm"},
        follow_redirects=True,
    )
    assert "Points must be a number from 0" in flashes(bad)
    client.post(
        f"/titles/{submitted.id}/adjust",
        data={"indicator": "b1", "points": "65", "reason": "Thiếu xác nhận"},
    )
    assert fresh(submitted).total == D("83")  # 8 + 10 + 65
    page = html(client.get(f"/titles/{submitted.id}/review"))
    assert "Thiếu xác nhận" in page and "70 → 65" in page
    response = client.post(f"/titles/{submitted.id}/accept", data={"note": "Đạt"})
    assert response.status_code == 302
    assert fresh(submitted).status == Status.ACCEPTED


def test_a_reviewer_returns_a_form_with_a_note_the_learner_reads(
    client, sign_in, submitted, people
):
    sign_in(people["reviewer"])
    empty = client.post(f"/titles/{submitted.id}/return", data={"note": ""}, follow_redirects=True)
    assert "Write what must change" in flashes(empty)
    client.post(f"/titles/{submitted.id}/return", data={"note": "Bổ sung ảnh kế hoạch"})
    assert fresh(submitted).status == Status.RETURNED
    client.post("/sign-out")
    sign_in(people["learner"])
    page = html(client.get(f"/titles/{submitted.id}"))
    assert "Bổ sung ảnh kế hoạch" in page and 'name="answer-a1"' in page


def test_a_reviewer_of_another_commune_sees_nothing(client, sign_in, submitted, people):
    sign_in(people["other_reviewer"])
    assert "Ka Nhi" not in html(client.get("/titles/review"))
    assert "No assessment matches." in html(client.get("/titles/review"))
    for path in ("", "/review", "/scores.csv"):
        assert client.get(f"/titles/{submitted.id}{path}").status_code == 404
    response = client.post(
        f"/titles/{submitted.id}/adjust",
        data={"indicator": "b1", "points": "0", "reason": "Không được"},
    )
    assert response.status_code == 404
    assert client.post(f"/titles/{submitted.id}/accept").status_code == 404
    assert fresh(submitted).status == Status.SUBMITTED


def test_strangers_and_respondents_cannot_review(client, sign_in, submitted, people):
    sign_in(people["stranger"])
    assert client.get(f"/titles/{submitted.id}").status_code == 404
    assert client.get("/titles/review").status_code == 403
    client.post("/sign-out")
    sign_in(people["learner"])
    assert client.get(f"/titles/{submitted.id}/review").status_code == 404
    assert client.post(f"/titles/{submitted.id}/accept").status_code == 404


def test_the_approver_recognises_and_the_verify_page_shows_the_title(
    db, client, sign_in, submitted, people
):
    operations.accept(submitted, by=people["reviewer"])
    sign_in(people["other_approver"])
    assert "Ka Nhi" not in html(client.get("/titles/decide"))
    assert client.post(f"/titles/{submitted.id}/recognise").status_code == 404
    client.post("/sign-out")
    sign_in(people["approver"])
    assert "Ka Nhi" in html(client.get("/titles/decide"))
    response = client.post(f"/titles/{submitted.id}/recognise", follow_redirects=True)
    assert "recognised" in flashes(response)
    assert fresh(submitted).status == Status.RECOGNISED
    code = submitted.certificate.display_code
    client.post("/sign-out")
    sign_in(people["learner"])
    page = html(client.get(f"/titles/{submitted.id}"))
    assert f"/verify/{code}" in page
    verify = html(client.get(f"/verify/{code}"))
    assert "Ka Nhi" in verify and "Bộ tiêu chí thử" in verify


def test_the_approver_declines_with_a_reason(client, sign_in, submitted, people):
    operations.accept(submitted, by=people["reviewer"])
    sign_in(people["approver"])
    empty = client.post(f"/titles/{submitted.id}/decline", data={"reason": ""},
                        follow_redirects=True)  # fmt: skip
    assert "Give the reason." in flashes(empty)
    client.post(f"/titles/{submitted.id}/decline", data={"reason": "Chưa đủ minh chứng"})
    assert fresh(submitted).status == Status.NOT_RECOGNISED
    assert "Chưa đủ minh chứng" in html(client.get(f"/titles/{submitted.id}"))


def test_the_learner_withdraws(client, sign_in, registered, people):
    sign_in(people["learner"])
    response = client.post(f"/titles/{registered.id}/withdraw", data={"reason": "Bận"})
    assert response.status_code == 302 and fresh(registered).status == Status.WITHDRAWN
    again = client.post(f"/titles/{registered.id}/withdraw", data={})
    assert again.status_code == 403


def test_every_post_form_carries_the_csrf_token(app, client, sign_in, submitted, people):
    operations.return_for_changes(submitted, by=people["reviewer"], note="Sửa lại")
    checks = [
        (people["learner"], ["/titles", f"/titles/{submitted.id}"]),
        (people["admin"], ["/admin/titles/deadlines"]),
        (people["reviewer"], ["/titles/commune", f"/titles/{submitted.id}"]),
    ]
    for user, urls in checks:
        client.post("/sign-out")
        sign_in(user)
        app.config["WTF_CSRF_ENABLED"] = True
        try:
            for url in urls:
                page = html(client.get(url))
                forms = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
                assert forms, url
                assert all('name="csrf_token"' in form for form in forms), url
            refused = client.post(f"/titles/{submitted.id}/answers", data={"answer-a1": "1"})
            assert refused.status_code == 400
        finally:
            app.config["WTF_CSRF_ENABLED"] = False


def test_the_scores_export_traces_each_indicator(db, client, sign_in, submitted, people):
    from portal.recognition.models import Evidence

    db.session.add(Evidence(assessment=submitted, indicator="a1", kind="note",
                            description="=HYPERLINK(\"http://x\")",
                            created_by_id=people["learner"].id))  # fmt: skip
    operations.adjust(submitted, "b1", "65", reason="-Thiếu xác nhận", by=people["reviewer"])
    sign_in(people["learner"])
    response = client.get(f"/titles/{submitted.id}/scores.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(html(response).lstrip("\ufeff"))))
    assert len(rows) == 4 and rows[0][0] == "Criterion"
    by_code = {row[1].split()[0]: row for row in rows[1:]}
    assert by_code["a1"][2:7] == ["10.00", "8.00", "", "8.00", "self"]
    assert by_code["a1"][8] == '\'=HYPERLINK("http://x")'
    assert by_code["b1"][5:8] == ["65.00", "review", "'-Thiếu xác nhận"]
    client.post("/sign-out")
    sign_in(people["stranger"])
    assert client.get(f"/titles/{submitted.id}/scores.csv").status_code == 404


def test_an_officer_registers_and_answers_for_people_of_the_commune(
    db, client, sign_in, small_set, criteria, open_round, people, places
):
    sign_in(people["reviewer"])
    page = html(client.get("/titles/commune"))
    assert "Xã Đam Rông 1" in page and "Hộ ông K'Brơi" in page
    household = places["households"][0]
    client.post("/titles/commune/people", data={
        "commune": "24820", "household": household.id, "full_name": "Cụ K'Trang",
        "birth_year": "1940", "gender": "male"})  # fmt: skip
    member = household.members[0]
    assert member.full_name == "Cụ K'Trang" and member.user_id is None
    response = client.post("/titles/commune/register", data={
        "model": "citizen", "subject": member.id, "year": open_round,
        "criteria_set": small_set.id})  # fmt: skip
    assessment = db.session.scalar(db.select(Assessment).filter_by(member_id=member.id))
    assert response.headers["Location"].endswith(f"/titles/{assessment.id}")
    assert 'name="answer-a1"' in html(client.get(f"/titles/{assessment.id}"))
    client.post(f"/titles/{assessment.id}/answers", data={"answer-a1": "6"})
    assert fresh(assessment).total == D("6")

    client.post("/titles/commune/clans", data={
        "commune": "24820", "name": "Dòng họ K'Brơi", "village": places["village_a"].id,
        "households": [h.id for h in places["households"][:2]]})  # fmt: skip
    clan = db.session.scalar(db.select(Clan))
    assert clan.name == "Dòng họ K'Brơi" and len(clan.households) == 2
    client.post("/titles/commune/units", data={
        "commune": "24820", "name": "Trường Tiểu học Đạ Nhar", "kind": "school",
        "level": "commune", "staff": f"{people['learner'].phone}\nThầy Y Sơn\n\n"})  # fmt: skip
    unit = db.session.scalar(db.select(Organisation))
    assert [s.user_id for s in unit.staff] == [people["learner"].id, None]
    for model, subject in (
        ("family", household.id),
        ("clan", clan.id),
        ("unit", unit.id),
        ("community", places["village_a"].id),
    ):
        client.post("/titles/commune/register", data={
            "model": model, "subject": subject, "year": open_round,
            "criteria_set": criteria[model].id})  # fmt: skip
    models = set(db.session.scalars(db.select(Assessment.model)))
    assert models == {"citizen", "family", "clan", "unit", "community"}
    community = db.session.scalar(db.select(Assessment).filter_by(model="community"))
    assert community.village_id == places["village_a"].id
    assert community.subject_key == f"village:{places['village_a'].id}"


def test_an_officer_cannot_touch_another_commune(
    db, client, sign_in, small_set, open_round, people, places
):
    sign_in(people["other_reviewer"])
    response = client.post("/titles/commune/register", data={
        "model": "community", "subject": places["village_a"].id, "year": open_round,
        "criteria_set": small_set.id})  # fmt: skip
    assert response.status_code == 404
    response = client.post("/titles/commune/clans", data={"commune": "24820", "name": "X"})
    assert response.status_code == 404
    response = client.post("/titles/commune/register", data={
        "model": "clan", "subject": "9" * 20, "year": open_round,
        "criteria_set": small_set.id})  # fmt: skip
    assert response.status_code == 404
    response = client.post("/titles/commune/people", data={
        "commune": "24823", "household": places["households"][0].id, "full_name": "X"})  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(db.select(Assessment)) is None


def test_administrators_set_deadlines_and_read_criteria_sets(
    db, client, sign_in, people, small_set
):
    sign_in(people["admin"])
    page = html(client.get("/admin/titles/deadlines?year=2027"))
    assert 'value="2027-09-30"' in page  # the citizens' registration default
    deadline = {"year": "2027", "model": "citizen", "step": "register", "due_on": "2027-08-15"}
    client.post("/admin/titles/deadlines", data=deadline)
    row = db.session.scalar(db.select(RecognitionDeadline).filter_by(year=2027))
    assert row.due_on.isoformat() == "2027-08-15" and row.set_by_id == people["admin"].id
    bad = client.post("/admin/titles/deadlines", data={
        "year": "2027", "model": "nope", "step": "register", "due_on": "2027-08-15"},
        follow_redirects=True)  # fmt: skip
    assert "Choose a title and a step" in flashes(bad)
    assert "test-small" in html(client.get("/admin/criteria"))
    page = html(client.get(f"/admin/criteria/{small_set.id}"))
    assert "Has a learning plan" in page and "Every week" in page
    yaml_text = html(client.get(f"/admin/criteria/{small_set.id}.yaml"))
    assert yaml_text.startswith("code: test-small\nversion: 1\n")
