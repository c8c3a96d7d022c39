from portal.accounts.models import User
from portal.demo import DEMO_USERS


def test_demo_load_is_idempotent_and_prints_sign_ins(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.hoctap.vn" in first.output
    second = runner.invoke(args=["demo", "load"])
    assert f"0 created, {len(DEMO_USERS)} already there" in second.output
    assert db.session.query(User).count() == len(DEMO_USERS)
    admin = db.session.query(User).filter_by(email="admin@demo.hoctap.vn").one()
    assert admin.has_role("admin")


def test_demo_load_refuses_production(app):
    app.config["PORTAL_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["PORTAL_ENV"] = "development"
    assert result.exit_code != 0
