"""Who may see and act on an assessment. Reviewers (the association) and approvers (the
People's Committee) act within their scope: the commune of a commune-level assessment, the
province of a province-level one (units above commune level). Everything here is also
expressed as SQL conditions, so lists never load what they would then hide."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_

from portal.accounts.models import Role, ScopeKind, User
from portal.recognition.models import Assessment


def _scoped(user: User, role: Role, assessment: Assessment) -> bool:
    if assessment.scope_level == "province":
        return user.has_role(role, ScopeKind.PROVINCE, assessment.province_code)
    return user.has_role(role, ScopeKind.COMMUNE, assessment.commune_code)


def can_review(user: Any, assessment: Assessment) -> bool:
    return bool(user.is_authenticated) and _scoped(user, Role.REVIEWER, assessment)


def can_decide(user: Any, assessment: Assessment) -> bool:
    return bool(user.is_authenticated) and _scoped(user, Role.APPROVER, assessment)


def is_respondent(user: Any, assessment: Assessment) -> bool:
    """The person who answers the form: the citizen, the household head, the clan's or the
    unit's head, or whoever registered a subject that has no account of its own."""
    if not user.is_authenticated:
        return False
    return user.id in (assessment.user_id, assessment.respondent_id) or (
        assessment.user_id is None
        and assessment.respondent_id is None
        and assessment.registered_by_id == user.id
    )


def can_answer(user: Any, assessment: Assessment) -> bool:
    """May change the answers (while the assessment is open): the respondent, or the
    commune's reviewer recording them for someone without an account."""
    if not assessment.is_open:
        return False
    return is_respondent(user, assessment) or (
        can_review(user, assessment) and assessment.user_id is None
    )


def can_view(user: Any, assessment: Assessment) -> bool:
    return bool(user.is_authenticated) and (
        is_respondent(user, assessment)
        or can_review(user, assessment)
        or can_decide(user, assessment)
        or user.has_role(Role.ADMIN)
    )


def in_scope(user: User, role: Role) -> Any:
    """SQL condition: the assessments within ``user``'s scopes for ``role``."""
    communes = [code for kind, code in user.scopes(role) if kind == ScopeKind.COMMUNE]
    provinces = [code for kind, code in user.scopes(role) if kind == ScopeKind.PROVINCE]
    conditions = []
    if communes:
        conditions.append(
            and_(Assessment.scope_level == "commune", Assessment.commune_code.in_(communes))
        )
    if provinces:
        conditions.append(
            and_(Assessment.scope_level == "province", Assessment.province_code.in_(provinces))
        )
    return or_(*conditions) if conditions else false()
