"""Every route, requested as every role and as an anonymous visitor, answers as the policy
says. A new route fails this test until its policy is written here."""

from __future__ import annotations

import re
from datetime import date

import pytest

ROLES = ("anonymous", "learner", "teacher", "staff", "reviewer", "approver", "admin")

# Who may open what: "public" (everyone), "guest" (anonymous visitors; signed-in users are
# redirected), "signed_in" (any account), "admin", "teacher" (teachers and admins),
# "reviewer" (reviewers and admins), "teacher_or_reviewer", "signed_in_api" (any account;
# anonymous callers get a 401 problem, not a redirect), "officer" (reviewers, approvers and
# admins), "approver" (approvers and admins), "reviewer_only" (reviewers, not admins),
# "lrs_client" (the LRS: Basic-auth credentials only, whoever is signed in).
POLICY = {
    "static": "public",
    "pages.home": "public",
    "pages.health": "public",
    "language.choose": "public",
    "accounts.sign_up": "guest",
    "accounts.sign_in": "guest",
    "accounts.forgot_password": "public",
    "accounts.reset_password": "public",
    "accounts.sign_out": "signed_in",
    "accounts.profile": "signed_in",
    "accounts.change_password": "signed_in",
    "accounts.download_data": "signed_in",
    "accounts.delete_account": "signed_in",
    "certificates.verify_form": "public",
    "certificates.verify": "public",
    "certificates.qr": "public",
    "certificates.pdf": "public",  # a certificate is public to whoever holds its code
    "certificates.credential": "public",  # its Open Badges 3.0 credential, likewise
    "certificates.status_list": "public",  # revocation lists, for every verifier
    "certificates.mine": "signed_in",
    "resources.index": "public",
    "resources.detail": "public",  # drafts answer 404 to everyone but their editors
    "resources.dublin_core": "public",
    "resources.download": "public",
    "resources.mine": "teacher",
    "resources.new": "teacher",
    "resources.edit": "teacher",
    "resources.text": "teacher",
    "resources.submit": "teacher",
    "resources.restore": "teacher",
    "resources.upload": "teacher",
    "resources.delete_attachment": "teacher",
    "resources.preview": "teacher_or_reviewer",
    "resources.archive": "teacher_or_reviewer",
    "resources.history": "teacher_or_reviewer",
    "resources.compare": "teacher_or_reviewer",
    "resources.queue": "reviewer",
    "resources.publish": "reviewer",
    "resources.return_": "reviewer",
    "api.resources": "public",
    "api.resource": "public",  # drafts and archived resources answer 404
    "api.openapi": "public",
    # course authoring and moderation (helper A): editors only; drafts 404 to others
    "courseware.mine": "teacher",
    "courseware.new": "teacher",
    "courseware.outline": "teacher",
    "courseware.edit": "teacher",
    "courseware.course_text": "teacher",
    "courseware.delete_text": "teacher",
    "courseware.submit": "teacher",
    "courseware.archive": "teacher",
    "courseware.delete": "teacher",
    "courseware.add_module": "teacher",
    "courseware.module_text": "teacher",
    "courseware.move_module": "teacher",
    "courseware.delete_module": "teacher",
    "courseware.add_lesson": "teacher",
    "courseware.lesson": "teacher",
    "courseware.lesson_text": "teacher",
    "courseware.move_lesson": "teacher",
    "courseware.delete_lesson": "teacher",
    "courseware.attach": "teacher",
    "courseware.detach": "teacher",
    "courseware.move_resource": "teacher",
    "courseware.add_quiz": "teacher",
    "courseware.quiz": "teacher",
    "courseware.delete_quiz": "teacher",
    "courseware.new_question": "teacher",
    "courseware.question": "teacher",
    "courseware.question_text": "teacher",
    "courseware.move_question": "teacher",
    "courseware.delete_question": "teacher",
    "courseware.add_author": "teacher",
    "courseware.remove_author": "teacher",
    "courseware.add_prerequisite": "teacher",
    "courseware.remove_prerequisite": "teacher",
    "courseware.preview": "teacher_or_reviewer",
    "courseware.queue": "reviewer",
    "courseware.publish": "reviewer",
    "courseware.return_": "reviewer",
    # taking courses (helper B): drafts 404 except to editors and reviewers
    "learning.static": "public",
    "learning.index": "public",
    "learning.course": "public",
    "learning.lesson": "public",  # published courses; progress only when enrolled
    "learning.enrol": "signed_in",
    "learning.withdraw": "signed_in",
    "learning.resume": "signed_in",
    "learning.complete_lesson": "signed_in",
    "learning.lesson_time": "signed_in",
    "learning.quiz": "signed_in",
    "learning.attempt": "signed_in",
    # dashboards and the courses API (helper C)
    "dashboards.learner": "signed_in",
    "dashboards.teacher": "teacher",
    "dashboards.course_stats": "teacher",  # owner, co-authors and admins; others get 404
    "api.courses": "public",
    "api.course": "public",  # drafts, courses in review and archived ones answer 404
    "api.my_enrolments": "signed_in_api",
    # search (issue 4): published content only, for everyone
    "discover.search": "public",
    "api.search": "public",
    # reports (issue 5): officers within their scope (404 outside it; the country page
    # sends a scoped officer to their province or commune), administrators everywhere
    "reports.country": "officer",
    "reports.province": "officer",
    "reports.commune": "officer",
    # learning titles (issue item 4): pages of one assessment answer 404 to whoever may not
    # see it (the sample id 1 does not exist), so "signed_in" covers them
    "recognition.index": "signed_in",
    "recognition.register": "signed_in",
    "recognition.assessment": "signed_in",
    "recognition.answer": "signed_in",
    "recognition.withdraw": "signed_in",
    "recognition.add_evidence": "signed_in",
    "recognition.download_evidence": "signed_in",
    "recognition.remove_evidence": "signed_in",
    "recognition.scores_csv": "signed_in",
    "recognition.review": "signed_in",  # 404 unless the reviewer's scope holds it
    "recognition.adjust": "signed_in",
    "recognition.accept": "signed_in",
    "recognition.return_": "signed_in",
    "recognition.recognise": "signed_in",  # 404 unless the approver's scope holds it
    "recognition.decline": "signed_in",
    "recognition.review_list": "reviewer",
    "recognition.commune": "reviewer",
    "recognition.officer_register": "reviewer_only",
    "recognition.create_clan": "reviewer_only",
    "recognition.create_organisation": "reviewer_only",
    "recognition.add_person": "reviewer_only",
    "recognition.decide_list": "approver",
    # learning centres (issue 6): public pages; management pages of a centre answer 404 to
    # whoever does not manage it (the sample code "x1" names none), so "signed_in" covers
    # them; creating a centre is the administrators'; reports are for staff and officers
    "centres.directory": "public",
    "centres.profile": "public",
    "centres.public_class": "public",
    "centres.import_template": "signed_in",
    "centres.join": "signed_in",
    "centres.leave": "signed_in",
    "centres.teaching": "signed_in",
    "centres.new_centre": "admin",
    "centres.add_staff": "admin",
    "centres.remove_staff": "admin",
    "centres.reports": "centre_officer",
    # OAI-PMH (issue 7): the published resources' metadata, for every harvester
    "oai.endpoint": "public",
    "oai.schema": "public",
    # the learning record store (issue 7): programs holding Basic-auth credentials, never a
    # session ("lrs_client"); About is open to everyone
    "xapi.about": "public",
}
PREFIX_POLICY = {
    "accounts_admin.": "admin",
    "places.": "admin",
    "certificates_admin.": "admin",
    "recognition_admin.": "admin",
    "xapi_admin.": "admin",  # the LRS's credentials page
    "xapi.": "lrs_client",
    "centres.": "signed_in",  # every other page of the centres: 404 outside one's centres
}


def policy_of(endpoint: str) -> str:
    if endpoint in POLICY:
        return POLICY[endpoint]
    for prefix, policy in PREFIX_POLICY.items():
        if endpoint.startswith(prefix):
            return policy
    raise AssertionError(f"no access policy written for route {endpoint!r}")


def expected_statuses(policy: str, role: str) -> set[int]:
    """Acceptable answers: a redirect to sign-in counts as refusal for anonymous visitors."""
    ok = {200, 302, 303, 400, 404, 422}  # let in (404/400/422: the sample object or form)
    if policy == "public":
        return ok
    if policy == "guest":
        return ok if role == "anonymous" else {302}
    if policy == "lrs_client":  # a session opens nothing: 400 (no version header) or 401
        return {400, 401}
    if policy == "signed_in_api":  # JSON for a session: anonymous callers get a 401 problem
        return {401} if role == "anonymous" else ok
    if role == "anonymous":
        return {302}
    if policy == "signed_in":
        return ok
    if policy == "admin":
        return ok if role == "admin" else {403}
    if policy == "teacher":
        return ok if role in ("teacher", "admin") else {403}
    if policy == "reviewer":
        return ok if role in ("reviewer", "admin") else {403}
    if policy == "officer":
        return ok if role in ("reviewer", "approver", "admin") else {403}
    if policy == "reviewer_only":  # commune officers' own pages
        return ok if role == "reviewer" else {403}
    if policy == "approver":
        return ok if role in ("approver", "admin") else {403}
    if policy == "centre_officer":
        return ok if role in ("staff", "reviewer", "approver", "admin") else {403}
    if policy == "teacher_or_reviewer":
        return ok if role in ("teacher", "reviewer", "admin") else {403}
    raise AssertionError(policy)


def sample_path(rule) -> str:  # type: ignore[no-untyped-def]
    """The rule's URL with sample values for its arguments (the first choice of an
    ``any(...)`` converter)."""
    path = rule.rule
    for converter, options, name in re.findall(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", path):
        if converter == "any":
            value = options.split(",")[0].strip()
        elif converter == "int":
            value = "1"
        else:
            value = "portal.css" if name == "filename" else "x1"
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?" + name + ">", value, path)
    return path


@pytest.fixture
def users_by_role(make_user):
    scopes = {
        "staff": ("centre", "c1"),
        "reviewer": ("commune", "00004"),
        "approver": ("province", "01"),
    }
    return {role: make_user(roles=(role,), scopes=scopes) for role in ROLES[1:]}


def test_every_route_answers_every_role_as_its_policy_says(app, client, users_by_role, sign_in):
    rules = [r for r in app.url_map.iter_rules()]
    assert len(rules) > 15
    failures = []
    for role in ROLES:
        if role != "anonymous":
            client.post("/sign-out")
            sign_in(users_by_role[role])
        for rule in rules:
            policy = policy_of(rule.endpoint)
            method = "GET" if "GET" in rule.methods else "POST"
            if rule.endpoint in {"accounts.sign_out", "accounts.delete_account"} or (
                rule.endpoint == "language.choose" and method == "POST"
            ):
                method = "GET" if "GET" in rule.methods else "HEAD"
            if method == "HEAD":
                continue  # signing out or deleting would end the session under test
            path = sample_path(rule)
            response = client.open(path, method=method)
            response.close()
            allowed = expected_statuses(policy, role)
            if response.status_code not in allowed:
                failures.append(
                    f"{role:9} {method} {path} ({rule.endpoint}, {policy}): "
                    f"{response.status_code}, expected {sorted(allowed)}"
                )
            if (
                role == "anonymous"
                and response.status_code == 302
                and policy not in ("public", "guest")
            ):
                assert "/sign-in" in response.headers["Location"]
    assert not failures, "\n".join(failures)


def test_sign_out_needs_a_post_and_a_session(client, make_user, sign_in):
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302  # anonymous: sent to sign in
    sign_in(make_user())
    assert client.post("/sign-out").status_code == 302
    assert client.get("/profile").status_code == 302


def test_officers_of_another_commune_can_neither_see_nor_change_an_assessment(
    app, db, client, make_user, sign_in, small_places
):
    """Every route of one assessment, for a reviewer and an approver of another commune and
    of another province: 404, the assessment unchanged, and absent from their lists; the
    officers of its own commune get in."""
    from portal.recognition import operations, sets
    from portal.recognition.criteria import DATA, read_file
    from portal.recognition.models import Assessment, AssessmentEvent

    _province, commune = small_places
    row, _ = sets.load(read_file(DATA / "citizen-workers.yaml"))
    learner = make_user(full_name="Ka Hoa", home_commune_id=commune.id)
    assessment = operations.register(learner, model="citizen", year=2026, criteria_set=row,
                                     by=learner, late=True)  # fmt: skip
    operations.answer(assessment, {"1.1": "8", "1.4": "8", "2.1": "8", "2.2": "8", "3.1": "8",
                                   "3.2": "8"}, by=learner)  # fmt: skip
    operations.submit(assessment, by=learner, today=date(2026, 10, 1))
    db.session.flush()
    events = db.session.query(AssessmentEvent).filter_by(assessment_id=assessment.id).count()
    rules = [r for r in app.url_map.iter_rules() if "<int:assessment_id>" in r.rule]
    assert len(rules) >= 12
    outsiders = [
        make_user(roles=("reviewer",), scopes={"reviewer": ("commune", "24823")}),
        make_user(roles=("approver",), scopes={"approver": ("commune", "24823")}),
        make_user(roles=("reviewer",), scopes={"reviewer": ("province", "01")}),
        make_user(roles=("approver",), scopes={"approver": ("province", "01")}),
    ]
    failures = []
    for officer in outsiders:
        client.post("/sign-out")
        sign_in(officer)
        for rule in rules:
            path = rule.rule.replace("<int:assessment_id>", str(assessment.id))
            path = re.sub(r"<int:\w+>", "1", path)
            for method in sorted(rule.methods & {"GET", "POST"}):
                data = {"indicator": "1.1", "points": "1", "reason": "thử", "note": "thử"}
                response = client.open(path, method=method, data=data)
                if response.status_code != 404:
                    failures.append(f"{officer.scopes(officer.roles[0].role)} {method} "
                                    f"{path}: {response.status_code}")  # fmt: skip
        for listing in ("/titles/review", "/titles/decide"):
            page = client.get(listing)
            assert f"/titles/{assessment.id}" not in page.get_data(as_text=True)
    assert not failures, "\n".join(failures)
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status == "submitted"
    assert db.session.query(AssessmentEvent).filter_by(
        assessment_id=assessment.id).count() == events  # fmt: skip

    client.post("/sign-out")
    sign_in(make_user(roles=("reviewer",), scopes={"reviewer": ("commune", commune.code)}))
    assert client.get(f"/titles/{assessment.id}/review").status_code == 200
    assert f"/titles/{assessment.id}" in client.get("/titles/review").get_data(as_text=True)
