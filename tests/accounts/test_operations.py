"""Account operations, called directly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts import operations, queries
from portal.accounts.identifiers import IdentifierError, normalise_email, normalise_phone
from portal.accounts.models import Role, RoleAssignment
from portal.accounts.passwords import verify_password


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678", "0912345678"]
)
def test_vietnamese_mobile_numbers_are_stored_in_e164(typed):
    assert normalise_phone(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["12345", "0243 826 1234", "+1 202 555 0143", "abc", ""])
def test_landlines_foreign_and_junk_numbers_are_refused(typed):
    with pytest.raises(IdentifierError):
        normalise_phone(typed)


def test_email_is_lower_cased_and_checked():
    assert normalise_email(" Lan.Nguyen@Example.VN ") == "lan.nguyen@example.vn"
    with pytest.raises(IdentifierError):
        normalise_email("not-an-address@")


def test_create_user_hashes_with_argon2_and_refuses_duplicates(db):
    user = operations.create_user(full_name="Lan", password="secret-pass", phone="+84912345678")
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "secret-pass")
    assert user.has_role(Role.LEARNER)
    with pytest.raises(operations.AccountError) as excinfo:
        operations.create_user(full_name="Other", password="x" * 8, phone="+84912345678")
    assert excinfo.value.code == "phone_taken"


def test_names_are_stored_nfc(db):
    decomposed = "Nguye\u0302\u0303n Tho\u0323"
    user = operations.create_user(
        full_name=decomposed, password="secret-pass", email="a@example.vn"
    )
    assert user.full_name == "Nguyễn Thọ"


def test_changing_the_password_ends_other_sessions(db, make_user):
    user = make_user()
    old_session = user.get_id()
    operations.change_password(user, "a brand new password")
    assert queries.user_by_session_id(old_session) is None
    assert queries.user_by_session_id(user.get_id()) == user


def test_scoped_roles_need_their_scope(db, make_user):
    user = make_user()
    with pytest.raises(operations.AccountError, match="scope_required"):
        operations.grant_role(user, Role.REVIEWER)
    with pytest.raises(operations.AccountError, match="scope_required"):
        operations.grant_role(user, Role.STAFF, scope_kind="commune", scope_code="00004")
    with pytest.raises(operations.AccountError, match="scope_not_allowed"):
        operations.grant_role(user, Role.TEACHER, scope_kind="commune", scope_code="00004")
    operations.grant_role(user, Role.REVIEWER, scope_kind="commune", scope_code="00004")
    operations.grant_role(user, Role.REVIEWER, scope_kind="province", scope_code="01")
    assert user.scopes(Role.REVIEWER) == [("commune", "00004"), ("province", "01")]
    with pytest.raises(operations.AccountError, match="role_held"):
        operations.grant_role(user, Role.REVIEWER, scope_kind="commune", scope_code="00004")


def test_the_last_administrator_cannot_be_removed(db, make_user):
    admin = make_user(roles=("admin",))
    assignment = next(a for a in admin.roles if a.role == Role.ADMIN)
    with pytest.raises(operations.AccountError, match="last_admin"):
        operations.revoke_role(assignment)
    with pytest.raises(operations.AccountError, match="last_admin"):
        operations.delete_account(admin)
    make_user(roles=("admin",))
    operations.revoke_role(assignment)
    assert not admin.has_role(Role.ADMIN)


def test_reset_token_works_once_and_expires(db, make_user):
    user = make_user()
    token = operations.issue_reset_token(user, hours=1)
    row = operations.find_reset_token(token)
    assert row is not None and row.token_hash != token
    operations.reset_password(row, "another long password")
    assert verify_password(user.password_hash, "another long password")
    assert operations.find_reset_token(token) is None

    expired = operations.issue_reset_token(user, hours=1)
    operations.find_reset_token(expired).expires_at -= timedelta(hours=2)
    assert operations.find_reset_token(expired) is None


def test_a_new_reset_token_cancels_the_old_one(db, make_user):
    user = make_user()
    first = operations.issue_reset_token(user, hours=1)
    second = operations.issue_reset_token(user, hours=1)
    assert operations.find_reset_token(first) is None
    assert operations.find_reset_token(second) is not None


def test_deleting_an_account_removes_its_roles(db, make_user):
    user = make_user(roles=("learner", "teacher"))
    user_id = user.id
    operations.delete_account(user)
    assert db.session.get(type(user), user_id) is None
    assert db.session.query(RoleAssignment).filter_by(user_id=user_id).count() == 0


def test_search_users_matches_name_phone_and_email(db, make_user):
    lan = make_user(full_name="Nguyễn Thị Lan", phone="0912345678")
    make_user(full_name="Trần Văn Minh", email="minh@example.vn")
    found = lambda text: list(db.session.scalars(queries.search_users(text)))  # noqa: E731
    assert found("Lan") == [lan]
    assert found("0912 345") == [lan]
    assert [u.full_name for u in found("minh@")] == ["Trần Văn Minh"]
    assert lan in list(db.session.scalars(queries.search_users("", role="learner")))
