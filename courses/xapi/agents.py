"""The Person object of the Agents resource: everything the LRS knows of one agent, each
property a list (xAPI 2.0, Communication 2.4). This LRS knows an agent by one identifier
(statements are stored per actor key), so the Person holds that identifier, the names the
agent had as the actor of statements (the newest first) and, for a portal account, the
account holder's name. The portal's e-mail addresses and phone numbers are not given out."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from courses.records import iri
from courses.records.models import Statement
from portal.accounts.models import User
from portal.extensions import db

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
NAMES_KEPT = 20  # the statements looked at for names: the newest


def _portal_user_id(agent: dict[str, Any]) -> int | None:
    account = agent.get("account")
    if not isinstance(account, dict) or account.get("homePage", "").rstrip("/") != iri.base_url():
        return None
    name = account.get("name", "")
    return int(name) if name.isdigit() and len(name) < 12 else None


def person(agent: dict[str, Any], key: str) -> dict[str, Any]:
    """The Person for the checked ``agent`` whose key (as statements store it) is ``key``."""
    names: list[str] = []
    if isinstance(agent.get("name"), str) and agent["name"]:
        names.append(agent["name"])
    actor_name = Statement.data["actor"]["name"].as_string()
    recent = (
        sa.select(actor_name.label("name"), Statement.id)
        .where(Statement.actor_key == key)
        .order_by(Statement.id.desc())
        .limit(NAMES_KEPT)
        .subquery()
    )
    for name in db.session.scalars(sa.select(recent.c.name).order_by(recent.c.id.desc())):
        if name and name not in names:
            names.append(name)
    user_id = _portal_user_id(agent)
    if user_id is not None:
        full_name = db.session.scalar(sa.select(User.full_name).where(User.id == user_id))
        if full_name and full_name not in names:
            names.append(full_name)
    found: dict[str, Any] = {"objectType": "Person"}
    if names:
        found["name"] = names
    for ifi in IFIS:
        if ifi in agent:
            found[ifi] = [agent[ifi]]
    return found
