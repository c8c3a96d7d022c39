"""Pages of the yearly round of learning-society titles: a person's titles and
registration, the self-assessment form with its evidence, the reviewer's and the approver's
lists and decisions, the commune officers' subjects, the trace export, and the
administration of deadlines and criteria sets.

Every assessment page loads the assessment or answers 404, and answers 404 as well to whoever
may not see it (a reviewer of another commune never learns it exists); a person who may see
it but not do what they asked gets 403. Refused operations are flashed with their message."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.accounts.access import role_required
from portal.accounts.models import Role, User
from portal.extensions import db
from portal.places import operations as places_operations
from portal.places.forms import error_message as places_error
from portal.places.models import AdminUnit, Household, HouseholdMember, Village
from portal.places.queries import today
from portal.recognition import access, calendar, operations, queries, subjects, uploads
from portal.recognition.criteria import dump
from portal.recognition.forms import (
    AcceptForm,
    AdjustForm,
    ClanForm,
    ConfirmForm,
    DeadlineForm,
    DeclineForm,
    EvidenceForm,
    OfficerRegisterForm,
    OrganisationForm,
    PersonForm,
    RegisterForm,
    ReturnForm,
    ReviewFilterForm,
    WithdrawForm,
    YearForm,
)
from portal.recognition.models import (
    Assessment,
    Clan,
    CriteriaSet,
    Evidence,
    Model,
    Organisation,
    Status,
)
from portal.recognition.operations import RecognitionError
from portal.storage import NotFound, get_storage

MAX_ANSWERS = 500  # fields read from one form: far more than any set has


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: larger ones match nothing


def _get(model: Any, ident: Any) -> Any:
    """The row of ``model`` with id ``ident``, or None (also for ids no row can have)."""
    if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


def _me() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def _viewable_or_404(assessment_id: int) -> Assessment:
    assessment = _get(Assessment, assessment_id)
    if assessment is None or not access.can_view(current_user, assessment):
        abort(404)
    return assessment


def _refused(exc: Exception) -> None:
    flash(getattr(exc, "message", str(exc)), "error")


def _to(assessment: Assessment, anchor: str | None = None) -> Response:
    return redirect(url_for("recognition.assessment", assessment_id=assessment.id, _anchor=anchor))


# A person's titles -----------------------------------------------------------------------------


@login_required
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "recognition/index.html",
        assessments=queries.mine(_me()),
        offers=queries.offers(_me()),
        form=RegisterForm(formdata=None),
    )


@login_required
def register():  # type: ignore[no-untyped-def]
    form = RegisterForm()
    if not form.validate_on_submit():
        abort(400)
    model, year = form.model.data, form.year.data
    if model not in (Model.CITIZEN, Model.FAMILY) or year not in (today().year, today().year + 1):
        abort(400)
    criteria_set = _get(CriteriaSet, form.criteria_set.data) or abort(404)
    subject = _me() if model == Model.CITIZEN else queries.household_headed_by(_me())
    if subject is None:
        abort(403)
    try:
        assessment = operations.register(
            subject, model=model, year=year, criteria_set=criteria_set, by=_me()
        )
    except RecognitionError as exc:
        _refused(exc)
        return redirect(url_for("recognition.index"))
    flash(_("Registered. Answer the form below, then submit it."), "success")
    return _to(assessment)


# One assessment ------------------------------------------------------------------------------


def _evidence_form(assessment: Assessment, sheet: queries.Sheet, **kwargs: Any) -> EvidenceForm:
    form = EvidenceForm(**kwargs)
    form.indicator.choices = [
        (line.indicator.code, f"{line.indicator.code} {queries.text(line.indicator.title)}")
        for part in sheet.parts
        for line in part.lines
    ]
    form.file.description = _(
        "A photo (JPEG, PNG or WebP) or a PDF document, up to %(size)d MB.",
        size=uploads.max_megabytes(),
    )
    return form


def _assessment_page(assessment: Assessment, template: str = "recognition/assessment.html"):  # type: ignore[no-untyped-def]
    sheet = queries.sheet(assessment)
    return render_template(
        template,
        assessment=assessment,
        sheet=sheet,
        deadlines=calendar.deadlines(assessment.year, assessment.model),
        can_answer=access.can_answer(current_user, assessment),
        can_review=access.can_review(current_user, assessment),
        can_decide=access.can_decide(current_user, assessment),
        can_withdraw=_may_withdraw(assessment),
        may_remove=lambda item: uploads.may_remove(current_user, item),
        confirm=ConfirmForm(formdata=None),
        evidence_form=_evidence_form(assessment, sheet, formdata=None),
        withdraw_form=WithdrawForm(formdata=None),
        adjust_form=AdjustForm(formdata=None),
        accept_form=AcceptForm(formdata=None),
        return_form=ReturnForm(formdata=None),
        decline_form=DeclineForm(formdata=None),
    )


def _may_withdraw(assessment: Assessment) -> bool:
    return assessment.status not in (
        Status.RECOGNISED,
        Status.NOT_RECOGNISED,
        Status.WITHDRAWN,
    ) and (
        access.is_respondent(current_user, assessment)
        or access.can_review(current_user, assessment)
    )


@login_required
def assessment(assessment_id: int):  # type: ignore[no-untyped-def]
    return _assessment_page(_viewable_or_404(assessment_id))


def _answers_sent() -> dict[str, str]:
    """Indicator code → the value sent, for every ``answer-<code>`` field of the form."""
    sent = {}
    for name in list(request.form)[:MAX_ANSWERS]:
        if name.startswith("answer-"):
            sent[name.removeprefix("answer-")[:32]] = request.form.get(name, "")[:32]
    return sent


@login_required
def answer(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _viewable_or_404(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not access.can_answer(current_user, target):
        abort(403)
    submitting = request.form.get("action") == "submit"
    try:
        invalid = operations.answer(target, _answers_sent(), by=_me())
        if submitting and not invalid:
            operations.submit(target, by=_me())
    except RecognitionError as exc:
        _refused(exc)
        return _to(target, "result")
    if invalid:
        flash(
            _(
                "These answers are not valid and were not saved: %(codes)s. The others were saved.",
                codes=", ".join(sorted(invalid)),
            ),
            "error",
        )
    elif submitting:
        flash(_("Submitted. The commune's reviewer will look at it."), "success")
    else:
        flash(_("Saved."), "success")
    return _to(target, "result")


@login_required
def withdraw(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _viewable_or_404(assessment_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    if not _may_withdraw(target):
        abort(403)
    try:
        operations.withdraw(target, by=_me(), reason=form.reason.data)
    except RecognitionError as exc:
        _refused(exc)
    else:
        flash(_("The registration was withdrawn."), "success")
    return _to(target)


# Evidence ------------------------------------------------------------------------------------


@login_required
def add_evidence(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _viewable_or_404(assessment_id)
    if not access.can_answer(current_user, target):
        abort(403)
    form = _evidence_form(target, queries.sheet(target))
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _to(target, "evidence")
    try:
        if form.kind.data == "note":
            uploads.add_note(
                target, indicator=form.indicator.data, text=form.description.data, by=_me()
            )
        else:
            file = form.file.data
            uploads.add_file(
                target,
                indicator=form.indicator.data,
                kind=form.kind.data,
                stream=file.stream if file else io.BytesIO(),
                filename=(file.filename or "") if file else "",
                description=form.description.data or "",
                by=_me(),
            )
    except uploads.EvidenceError as exc:
        _refused(exc)
    else:
        flash(_("Evidence added."), "success")
    return _to(target, "evidence")


def _evidence_or_404(assessment: Assessment, evidence_id: int) -> Evidence:
    item = _get(Evidence, evidence_id)
    if item is None or item.assessment_id != assessment.id:
        abort(404)
    return item


@login_required
def remove_evidence(assessment_id: int, evidence_id: int):  # type: ignore[no-untyped-def]
    target = _viewable_or_404(assessment_id)
    item = _evidence_or_404(target, evidence_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not uploads.may_remove(current_user, item):
        abort(403)
    try:
        uploads.remove(item, by=_me())
    except uploads.EvidenceError as exc:
        _refused(exc)
    else:
        flash(_("Evidence removed."), "success")
    return _to(target, "evidence")


@login_required
def download_evidence(assessment_id: int, evidence_id: int):  # type: ignore[no-untyped-def]
    item = _evidence_or_404(_viewable_or_404(assessment_id), evidence_id)
    if not item.storage_key:
        abort(404)
    storage = get_storage()
    url = storage.url(item.storage_key, expires_in=600)
    if url:
        return redirect(url)
    try:
        stream = storage.open(item.storage_key)
    except NotFound:  # a row without its file: `flask storage check` reports it
        abort(404)
    response = send_file(
        stream,
        mimetype=item.media_type or "application/octet-stream",
        as_attachment=True,
        download_name=item.file_name or "evidence",
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# The trace export --------------------------------------------------------------------------------


@login_required
def scores_csv(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _viewable_or_404(assessment_id)
    response = Response("\ufeff" + queries.scores_csv(target), mimetype="text/csv")
    name = f"assessment-{target.id}-{target.year}-{target.model}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Review ----------------------------------------------------------------------------------------


def _filters(form: ReviewFilterForm) -> dict[str, Any]:
    form.validate()
    return {
        name: (getattr(form, name).data or None) if not getattr(form, name).errors else None
        for name in ("year", "model", "status")
    }


@role_required(Role.REVIEWER, Role.ADMIN)
def review_list():  # type: ignore[no-untyped-def]
    form = ReviewFilterForm(request.args)
    filters = _filters(form)
    return render_template(
        "recognition/review_list.html",
        form=form,
        assessments=queries.assessments_in_scope(_me(), Role.REVIEWER, **filters),
        may_review=lambda assessment: access.can_review(current_user, assessment),
        counts=queries.status_counts(
            _me(), Role.REVIEWER, year=filters["year"], model=filters["model"]
        ),
    )


def _reviewable_or_404(assessment_id: int) -> Assessment:
    assessment = _get(Assessment, assessment_id)
    if assessment is None or not access.can_review(current_user, assessment):
        abort(404)
    return assessment


@login_required
def review(assessment_id: int):  # type: ignore[no-untyped-def]
    return _assessment_page(_reviewable_or_404(assessment_id), "recognition/review.html")


def _to_review(assessment: Assessment, anchor: str | None = None) -> Response:
    return redirect(url_for("recognition.review", assessment_id=assessment.id, _anchor=anchor))


@login_required
def adjust(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _reviewable_or_404(assessment_id)
    form = AdjustForm()
    if not form.validate_on_submit():
        flash(_("Give the points and the reason for the change."), "error")
        return _to_review(target, f"i-{form.indicator.data or ''}")
    try:
        operations.adjust(
            target, form.indicator.data, form.points.data, reason=form.reason.data, by=_me()
        )
    except RecognitionError as exc:
        _refused(exc)
    else:
        flash(_("Points of %(code)s changed.", code=form.indicator.data), "success")
    return _to_review(target, f"i-{form.indicator.data}")


@login_required
def accept(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _reviewable_or_404(assessment_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.accept(target, by=_me(), note=form.note.data)
    except RecognitionError as exc:
        _refused(exc)
        return _to_review(target)
    flash(_("Accepted: it now waits for the decision of the People's Committee."), "success")
    return redirect(url_for("recognition.review_list"))


@login_required
def return_(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _reviewable_or_404(assessment_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(_("Write what must change before returning the form."), "error")
        return _to_review(target)
    try:
        operations.return_for_changes(target, by=_me(), note=form.note.data)
    except RecognitionError as exc:
        _refused(exc)
        return _to_review(target)
    flash(_("Returned for changes."), "success")
    return redirect(url_for("recognition.review_list"))


# Decision --------------------------------------------------------------------------------------


@role_required(Role.APPROVER, Role.ADMIN)
def decide_list():  # type: ignore[no-untyped-def]
    return render_template(
        "recognition/decide.html",
        assessments=queries.accepted_in_scope(_me()),
        may_decide=lambda assessment: access.can_decide(current_user, assessment),
        confirm=ConfirmForm(formdata=None),
        decline_form=DeclineForm(formdata=None),
    )


def _decidable_or_404(assessment_id: int) -> Assessment:
    assessment = _get(Assessment, assessment_id)
    if assessment is None or not access.can_decide(current_user, assessment):
        abort(404)
    return assessment


@login_required
def recognise(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _decidable_or_404(assessment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.recognise(target, by=_me())
    except RecognitionError as exc:
        _refused(exc)
        return redirect(url_for("recognition.decide_list"))
    flash(
        _("%(name)s recognised; the certificate was issued.", name=target.subject_name), "success"
    )
    return redirect(url_for("recognition.decide_list"))


@login_required
def decline(assessment_id: int):  # type: ignore[no-untyped-def]
    target = _decidable_or_404(assessment_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash(_("Give the reason."), "error")
        return redirect(url_for("recognition.decide_list"))
    try:
        operations.decline(target, by=_me(), reason=form.reason.data)
    except RecognitionError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s was not recognised this year.", name=target.subject_name), "success")
    return redirect(url_for("recognition.decide_list"))


# Commune officers ----------------------------------------------------------------------------

SUBJECTS: dict[str, Any] = {
    Model.CITIZEN: HouseholdMember,
    Model.FAMILY: Household,
    Model.CLAN: Clan,
    Model.COMMUNITY: Village,
    Model.UNIT: Organisation,
}


def _commune_of(subject: Any) -> AdminUnit:
    if isinstance(subject, HouseholdMember):
        return subject.household.village.commune
    if isinstance(subject, Household):
        return subject.village.commune
    return subject.commune


def _officer_commune_or_404(code: str | None) -> AdminUnit:
    """The commune ``code`` (the first one when empty) among the officer's communes."""
    communes = queries.officer_communes(_me())
    found = next((c for c in communes if c.code == code), None) if code else None
    found = found or (communes[0] if communes and not code else None)
    if found is None:
        abort(404)
    return found


def _commune_page(commune: AdminUnit, year: int, **forms: Any):  # type: ignore[no-untyped-def]
    households = queries.households_in(commune)
    villages = queries.villages_of(commune)
    clan_form = forms.get("clan_form") or ClanForm(formdata=None)
    clan_form.village.choices = [(0, _("Not given"))] + [(v.id, v.name) for v in villages]
    clan_form.households.choices = [(h.id, f"{h.name} ({h.village.name})") for h in households]
    person_form = forms.get("person_form") or PersonForm(formdata=None)
    person_form.household.choices = [(h.id, f"{h.name} ({h.village.name})") for h in households]
    return render_template(
        "recognition/commune.html",
        commune=commune,
        communes=queries.officer_communes(_me()),
        year=year,
        years=(today().year - 1, today().year, today().year + 1),
        deadlines={m.value: calendar.deadlines(year, m) for m in Model},
        sets={m.value: queries.sets_for(m, year) for m in Model},
        subjects={
            Model.CITIZEN.value: [
                (m.id, m.full_name, f"member:{m.id}")
                for m in queries.people_without_accounts(commune)
            ],
            Model.FAMILY.value: [(h.id, h.name, f"household:{h.id}") for h in households],
            Model.CLAN.value: [(c.id, c.name, f"clan:{c.id}") for c in queries.clans_of(commune)],
            Model.COMMUNITY.value: [(v.id, v.name, f"village:{v.id}") for v in villages],
            Model.UNIT.value: [
                (o.id, o.name, f"organisation:{o.id}") for o in queries.organisations_of(commune)
            ],
        },
        registered=queries.subject_keys(year, commune),
        register_form=OfficerRegisterForm(formdata=None),
        clan_form=clan_form,
        organisation_form=forms.get("organisation_form") or OrganisationForm(formdata=None),
        person_form=person_form,
    )


@role_required(Role.REVIEWER, Role.ADMIN)
def commune():  # type: ignore[no-untyped-def]
    form = YearForm(request.args)
    year = form.year.data if form.validate() and form.year.data else today().year
    if not queries.officer_communes(_me()):
        return render_template("recognition/commune.html", commune=None)
    return _commune_page(_officer_commune_or_404(request.args.get("commune")), year)


def _back(commune: AdminUnit, year: int | None = None, anchor: str | None = None) -> Response:
    return redirect(url_for("recognition.commune", commune=commune.code, year=year, _anchor=anchor))


@role_required(Role.REVIEWER)
def officer_register():  # type: ignore[no-untyped-def]
    form = OfficerRegisterForm()
    model = form.model.data
    if model not in SUBJECTS or not form.validate_on_submit():
        abort(400)
    subject = _get(SUBJECTS[model], form.subject.data) or abort(404)
    commune = _officer_commune_or_404(_commune_of(subject).code)
    criteria_set = _get(CriteriaSet, form.criteria_set.data) or abort(404)
    if abs(form.year.data - today().year) > 1:
        abort(400)
    try:
        assessment = operations.register(
            subject,
            model=model,
            year=form.year.data,
            criteria_set=criteria_set,
            by=_me(),
            late=form.late.data,
        )
    except RecognitionError as exc:
        _refused(exc)
        return _back(commune, form.year.data, model)
    flash(_("%(name)s registered.", name=assessment.subject_name), "success")
    return _to(assessment)


@role_required(Role.REVIEWER)
def create_clan():  # type: ignore[no-untyped-def]
    commune = _officer_commune_or_404(request.form.get("commune", ""))
    form = ClanForm()
    if not form.validate_on_submit():
        return _commune_page(commune, today().year, clan_form=form), 422
    village = _get(Village, form.village.data) if form.village.data else None
    households = [_get(Household, i) for i in (form.households.data or [])[:1000]]
    try:
        clan = subjects.create_clan(
            commune,
            name=form.name.data,
            village=village,
            households=[h for h in households if h is not None],
            by=_me(),
        )
    except subjects.SubjectError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s added.", name=clan.name), "success")
    return _back(commune, anchor=Model.CLAN)


@role_required(Role.REVIEWER)
def create_organisation():  # type: ignore[no-untyped-def]
    commune = _officer_commune_or_404(request.form.get("commune", ""))
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _commune_page(commune, today().year, organisation_form=form), 422
    try:
        organisation = subjects.create_organisation(
            commune,
            name=form.name.data,
            kind=form.kind.data,
            level=form.level.data,
            staff=(form.staff.data or "").splitlines(),
            by=_me(),
        )
    except subjects.SubjectError as exc:
        _refused(exc)
    else:
        flash(_("%(name)s added.", name=organisation.name), "success")
    return _back(commune, anchor=Model.UNIT)


@role_required(Role.REVIEWER)
def add_person():  # type: ignore[no-untyped-def]
    commune = _officer_commune_or_404(request.form.get("commune", ""))
    form = PersonForm()
    household = _get(Household, form.household.data or 0) if form.is_submitted() else None
    if household is None or household.village.commune_id != commune.id:
        form.household.errors = [_("Choose a household of this commune.")]
        return _commune_page(commune, today().year, person_form=form), 422
    if not form.validate_on_submit():
        return _commune_page(commune, today().year, person_form=form), 422
    try:
        member = places_operations.add_member(
            household,
            full_name=form.full_name.data,
            birth_year=form.birth_year.data,
            gender=form.gender.data or None,
            added_by=_me(),
        )
    except places_operations.PlacesError as exc:
        flash(places_error(exc.code), "error")
    else:
        flash(_("%(name)s added.", name=member.full_name), "success")
    return _back(commune, anchor=Model.CITIZEN)


# Administration ------------------------------------------------------------------------------


def _year_shown() -> int:
    form = YearForm(request.args)
    return form.year.data if form.validate() and form.year.data else today().year


@role_required(Role.ADMIN)
def deadlines():  # type: ignore[no-untyped-def]
    year = _year_shown()
    table = {
        model.value: {
            step: (calendar.due(year, model, step), calendar.default_due(year, model, step))
            for step in calendar.STEPS
        }
        for model in Model
    }
    return render_template(
        "recognition/admin_deadlines.html",
        year=year,
        table=table,
        steps=calendar.STEPS,
        year_form=YearForm(request.args),
        form=DeadlineForm(formdata=None),
    )


@role_required(Role.ADMIN)
def set_deadline():  # type: ignore[no-untyped-def]
    form = DeadlineForm()
    year = int(form.year.data) if (form.year.data or "").isdigit() else None
    if not form.validate_on_submit() or year is None or not 2000 <= year <= 2100:
        flash(_("Give a date written YYYY-MM-DD."), "error")
        return redirect(url_for("recognition_admin.deadlines", year=year))
    try:
        subjects.set_deadline(year, form.model.data, form.step.data, form.due_on.data, by=_me())
    except subjects.SubjectError as exc:
        _refused(exc)
    else:
        flash(_("Deadline saved."), "success")
    return redirect(url_for("recognition_admin.deadlines", year=year))


@role_required(Role.ADMIN)
def criteria_sets():  # type: ignore[no-untyped-def]
    rows = db.session.scalars(
        db.select(CriteriaSet).order_by(CriteriaSet.model, CriteriaSet.code, CriteriaSet.version)
    )
    return render_template("recognition/admin_criteria.html", rows=list(rows), day=today())


@role_required(Role.ADMIN)
def criteria_set(set_id: int):  # type: ignore[no-untyped-def]
    row = _get(CriteriaSet, set_id) or abort(404)
    from portal.recognition import sets

    return render_template(
        "recognition/admin_criteria_set.html", row=row, rules=sets.definition_of(row)
    )


@role_required(Role.ADMIN)
def criteria_yaml(set_id: int):  # type: ignore[no-untyped-def]
    row = _get(CriteriaSet, set_id) or abort(404)
    response = Response(dump(row.definition), mimetype="application/yaml")
    name = f"{row.code}-v{row.version}.yaml"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
