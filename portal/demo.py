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
    ("0912000002", "Lê Thị Hoa (cán bộ trung tâm)", "vi",
     ((Role.STAFF, "centre", "demo-clc"),)),
    ("0912000003", "Phạm Văn Nam (Hội Khuyến học)", "vi",
     ((Role.REVIEWER, "commune", "DEMO-COMMUNE"),)),
    ("0912000004", "Hoàng Thị Mai (UBND xã)", "vi",
     ((Role.APPROVER, "commune", "DEMO-COMMUNE"),)),
    ("0912000005", "Nguyễn Thị Lan", "vi", ()),
    ("0912000006", "Sơn Thị Sa Rươne", "km", ()),
    ("0912000007", "H'Hen Niê", "rad", ()),
    ("learner@demo.hoctap.vn", "Nông Văn Dền", "tyz", ()),
)


def _demo_commune_code() -> str | None:
    """A commune in force today, for scoping the demo officers (None before places load)."""
    from portal.places import queries as places

    query = places.units_in_force(places.today(), level="commune")
    first = db.session.scalars(query.limit(1)).first()
    return first.code if first else None


@demo_cli.command("load")
def load() -> None:
    """Create the demo accounts (password: hoc-tap-suot-doi) and print their sign-ins."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("refusing to load demo accounts in production")
    commune = _demo_commune_code()
    created = 0
    for sign_in, name, language, roles in DEMO_USERS:
        if queries.user_by_identifier(sign_in) is not None:
            continue
        kind = "email" if "@" in sign_in else "phone"
        value = sign_in if kind == "email" else normalise_phone(sign_in)
        user = operations.create_user(full_name=name, password=DEMO_PASSWORD,
                                      language=language, **{kind: value})
        for role, scope_kind, scope_code in roles:
            if scope_code == "DEMO-COMMUNE":
                scope_code = commune or "00001"
            operations.grant_role(user, role, scope_kind=scope_kind, scope_code=scope_code)
        created += 1
    db.session.commit()
    click.echo(f"demo accounts: {created} created, {len(DEMO_USERS) - created} already there")
    click.echo(f"sign in at http://127.0.0.1:5000/sign-in with password {DEMO_PASSWORD!r}:")
    for sign_in, name, language, roles in DEMO_USERS:
        role_names = ", ".join(r.value for r, _k, _c in roles) or "learner"
        click.echo(f"  {sign_in:<24} {role_names:<10} {language:<4} {name}")
