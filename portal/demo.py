"""``flask demo load``: demo accounts for trying the portal on the embedded default.

Idempotent: accounts that exist are left as they are. Never run it on a production database;
it refuses when ``PORTAL_ENV=production``.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import operations, queries
from portal.accounts.identifiers import normalise_phone
from portal.accounts.models import Role
from portal.extensions import db

demo_cli = AppGroup("demo", help="Demo content for trying the portal.")

DEMO_PASSWORD = "hoc-tap-suot-doi"  # noqa: S105  (demo only; refused in production)

# (sign-in, name, interface language, roles with scopes)
DEMO_USERS: tuple[tuple[str, str, str, tuple[tuple[Role, str | None, str | None], ...]], ...] = (
    ("admin@demo.hoctap.vn", "Quản trị viên", "vi", ((Role.ADMIN, None, None),)),
    ("0912000001", "Trần Văn Minh (giáo viên)", "vi", ((Role.TEACHER, None, None),)),
    ("0912000002", "Lê Thị Hoa (cán bộ trung tâm)", "vi", ((Role.STAFF, "centre", "demo-clc"),)),
    (
        "0912000003",
        "Phạm Văn Nam (Hội Khuyến học)",
        "vi",
        ((Role.REVIEWER, "commune", "DEMO-COMMUNE"),),
    ),
    ("0912000004", "Hoàng Thị Mai (UBND xã)", "vi", ((Role.APPROVER, "commune", "DEMO-COMMUNE"),)),
    ("0912000005", "Nguyễn Thị Lan", "vi", ()),
    ("0912000006", "Sơn Thị Sa Rươne", "km", ()),
    ("0912000007", "H'Hen Niê", "rad", ()),
    ("learner@demo.hoctap.vn", "Nông Văn Dền", "tyz", ()),
)


def _demo_commune_code() -> str | None:
    """A commune of Đắk Lắk (an Ede heartland) in force today, for the demo officers and
    village; None before `flask places load`."""
    from portal.places import queries as places

    communes = places.current_communes("66")
    communes = (
        [c for c in communes if c.name.startswith("Xã Ea")]
        or communes
        or list(db.session.scalars(places.units_in_force(places.today(), level="commune").limit(1)))
    )
    return communes[0].code if communes else None


def _demo_village(commune_code: str | None):  # type: ignore[no-untyped-def]
    """A village with one household: an Ede mother with an account, her child and her
    mother without accounts (created once)."""
    from portal.places import operations as places_ops
    from portal.places import queries as places

    if commune_code is None:
        return None
    commune = places.current_commune(commune_code)
    village = places.active_village_named(commune, "Buôn Ea Sinh")
    if village is not None:
        return village
    village = places_ops.create_village(commune, name="Buôn Ea Sinh", kind="other")
    household = places_ops.create_household(village, name="Hộ bà H'Hen Niê")
    mother = queries.user_by_identifier("0912000007")
    places_ops.add_member(household, relation="head", user=mother)
    places_ops.add_member(
        household, relation="child", full_name="Y Bhin Niê", birth_year=2014, gender="male"
    )
    places_ops.add_member(
        household, relation="parent", full_name="H'Ngăm Niê", birth_year=1952, gender="female"
    )
    return village


def _demo_certificates():  # type: ignore[no-untyped-def]
    """A valid and a revoked certificate for the demo learner Nguyễn Thị Lan (created once)."""
    from courses.certificates.demo import load_demo_certificates

    learner = queries.user_by_identifier("0912000005")
    admin = queries.user_by_identifier("admin@demo.hoctap.vn")
    return load_demo_certificates(learner, admin) if learner is not None else []


def _demo_content():  # type: ignore[no-untyped-def]
    """The demo content package (courses/content/demo/): resources and courses by the demo
    teacher, resources published by the demo reviewer; the demo learner Nguyễn Thị Lan
    enrolled in the digital-skills course with one lesson done."""
    from courses.content.demo_content import enrol_demo_learner, load_demo_content

    teacher = queries.user_by_identifier("0912000001")
    reviewer = queries.user_by_identifier("0912000003")
    if teacher is None or reviewer is None:
        return [], []
    resources, courses = load_demo_content(teacher, reviewer)
    learner = queries.user_by_identifier("0912000005")
    if learner is not None:
        enrol_demo_learner(learner)
    return resources, courses


def _demo_titles(commune_code: str | None):  # type: ignore[no-untyped-def]
    """The criteria sets, and the titles' round in the demo commune: households, a clan, a
    school, and assessments in every state (portal/recognition/demo.py)."""
    from portal.recognition.demo import load_demo_recognition

    return load_demo_recognition(commune_code)


def _demo_centres(commune_code: str | None):  # type: ignore[no-untyped-def]
    """Two centres in the demo commune with programmes, classes, sessions and learners
    (portal/centres/demo.py)."""
    from portal.centres.demo import load as load_centres

    return load_centres(commune_code)


@demo_cli.command("load")
def load() -> None:
    """Create the demo accounts (password: hoc-tap-suot-doi), content and this year's round of
    the learning titles in the demo commune, and print the sign-ins."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("refusing to load demo accounts in production")
    commune = _demo_commune_code()
    created = 0
    for sign_in, name, language, roles in DEMO_USERS:
        if queries.user_by_identifier(sign_in) is not None:
            continue
        kind = "email" if "@" in sign_in else "phone"
        value = sign_in if kind == "email" else normalise_phone(sign_in)
        user = operations.create_user(
            full_name=name, password=DEMO_PASSWORD, language=language, **{kind: value}
        )
        for role, scope_kind, scope_code in roles:
            if scope_code == "DEMO-COMMUNE":
                scope_code = commune or "00001"
            operations.grant_role(user, role, scope_kind=scope_kind, scope_code=scope_code)
        created += 1
    village = _demo_village(commune)
    certificates = _demo_certificates()
    resources, courses = _demo_content()
    titles = _demo_titles(commune)
    centres = _demo_centres(commune)
    db.session.commit()
    click.echo(f"demo accounts: {created} created, {len(DEMO_USERS) - created} already there")
    if village is not None:
        click.echo(f"demo village: {village.name}, {village.commune.name}")
    for certificate in certificates:
        state = "revoked" if certificate.is_revoked else "valid"
        click.echo(f"demo certificate ({state}): /verify/{certificate.display_code}")
    for resource in resources:
        click.echo(f"demo resource ({resource.status}): /resources/{resource.id}")
    for course in courses:
        click.echo(f"demo course ({course.kind}): /courses/{course.id}")
    click.echo(f"demo criteria sets: {titles.criteria_added} added")
    for centre in centres.centres:
        click.echo(f"demo centre: /centres/{centre.code}")
    click.echo(f"demo class sessions marked: {centres.sessions_marked}")
    for assessment in titles.assessments:
        click.echo(
            f"demo title ({assessment.status}): {assessment.model} {assessment.year}, "
            f"{assessment.subject_name}: /titles/{assessment.id}"
        )
        if assessment.certificate is not None:
            click.echo(f"demo title certificate: /verify/{assessment.certificate.display_code}")
    if titles.assessments:
        click.echo(f"demo report: /reports/communes/{titles.assessments[0].commune_code}")
    click.echo(f"sign in at http://127.0.0.1:5000/sign-in with password {DEMO_PASSWORD!r}:")
    for sign_in, name, language, roles in DEMO_USERS:
        role_names = ", ".join(r.value for r, _k, _c in roles) or "learner"
        click.echo(f"  {sign_in:<24} {role_names:<10} {language:<4} {name}")
