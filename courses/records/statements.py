"""Learning statements checked and put in canonical form: the xAPI 2.0 rules the store
enforces (actor, verb, object, result, context, timestamps, durations) and the columns taken
from a statement. Nothing here touches the database; :mod:`courses.records.operations`
stores what :func:`normalise` returns."""

from __future__ import annotations

import copy
import math
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from courses.records import iri, verbs
from courses.records.models import IRI_LENGTH
from portal.text import nfc

XAPI_VERSION = "2.0.0"
VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving since 1975
# Parts of a statement the store sets, left out when a resent statement is compared.
STORE_FIELDS = ("stored", "authority", "version")


class StatementError(ValueError):
    """A statement the store refuses. ``code`` says why, for callers (the LRS answers 400,
    or 409 for ``conflict``; a page shows its own translated message):

    ``invalid_statement``, ``invalid_id``, ``missing_actor``, ``invalid_actor``,
    ``missing_verb``, ``invalid_verb``, ``missing_object``, ``invalid_object``,
    ``bad_duration``, ``score_out_of_range``, ``invalid_result``, ``invalid_context``,
    ``invalid_timestamp``, ``unknown_user``, ``unknown_statement``, ``invalid_void``,
    ``conflict``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def now() -> datetime:
    return datetime.now(UTC)


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?"
)
MAX_DURATION_MS = 100 * 365 * 86_400_000
# Seconds per part; a year counts 365 days and a month 30 (xAPI keeps the string as sent).
_DURATION_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def nfc_all(value: Any) -> Any:
    """``value`` with every string (keys too) in Unicode NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc(str(k)): nfc_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc_all(v) for v in value]
    return value


def _is_iri(value: Any) -> bool:
    # At most as long as the IRI columns (512 characters).
    return isinstance(value, str) and len(value) <= IRI_LENGTH and bool(_IRI.fullmatch(value))


def check_uuid(value: Any, code: str, what: str) -> str:
    """``value`` as a lower-case UUID string, else :class:`StatementError` ``code``."""
    try:
        if not isinstance(value, str):
            raise ValueError
        return str(uuid.UUID(value))
    except ValueError:
        raise StatementError(code, f"{what} must be a UUID, got {value!r}") from None


def parse_duration(text: Any) -> int:
    """Milliseconds in an ISO 8601 duration such as ``PT1H30M`` or ``P1DT2.5S``."""
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if not match or text in ("P", "PT") or text.endswith("T"):
        raise StatementError("bad_duration", f"result.duration {text!r} is not ISO 8601")
    total = sum(
        Decimal(part.replace(",", ".")) * factor
        for part, factor in zip(match.groups(), _DURATION_SECONDS, strict=True)
        if part is not None
    )
    milliseconds = int((total * 1000).to_integral_value())
    if milliseconds > MAX_DURATION_MS:
        raise StatementError("bad_duration", f"result.duration {text!r} is over a century")
    return milliseconds


def parse_timestamp(value: Any, what: str = "timestamp") -> datetime:
    """An aware UTC datetime from an ISO 8601 string with a time zone."""
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise StatementError(
            "invalid_timestamp", f"{what} {value!r} is not an ISO 8601 time with a zone"
        )
    try:
        parsed.astimezone(VIETNAM)
        return parsed.astimezone(UTC)
    except OverflowError:
        raise StatementError("invalid_timestamp", f"{what} {value!r} is out of range") from None


def format_timestamp(moment: datetime) -> str:
    """Canonical form: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def check_agent(
    value: Any, what: str, *, code: str = "invalid_actor"
) -> tuple[dict[str, Any], str]:
    """A checked Agent or identified Group and its key (``account:home|name``, ``mbox:...``)."""
    if not isinstance(value, dict):
        raise StatementError(code, f"{what} must be an object")
    agent = dict(value)
    kind = agent.setdefault("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        raise StatementError(code, f"{what}.objectType must be Agent or Group")
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in agent]
    if len(ifis) != 1:
        if kind == "Group" and not ifis and isinstance(agent.get("member"), list):
            members = [check_agent(m, f"{what}.member", code=code)[1] for m in agent["member"]]
            return agent, "group:" + ",".join(sorted(members))
        raise StatementError(code, f"{what} needs exactly one of mbox, openid, account")
    ifi = ifis[0]
    if ifi == "mbox":
        mbox = agent["mbox"]
        if not isinstance(mbox, str) or not mbox.startswith("mailto:") or "@" not in mbox:
            raise StatementError(code, f"{what}.mbox must be a mailto: IRI")
        return agent, "mbox:" + mbox.lower()
    if ifi == "account":
        account = agent["account"]
        if (
            not isinstance(account, dict)
            or not _is_iri(account.get("homePage"))
            or not isinstance(account.get("name"), str)
            or not account["name"]
        ):
            raise StatementError(code, f"{what}.account needs a homePage IRI and a name")
        return agent, f"account:{account['homePage'].rstrip('/')}|{account['name']}"
    if not isinstance(agent[ifi], str) or not agent[ifi]:
        raise StatementError(code, f"{what}.{ifi} must be a string")
    return agent, f"{ifi}:{agent[ifi]}"


def user_id_of(actor: Any) -> int | None:
    """The portal user an Agent names (an account on the portal's home page), else None."""
    if not isinstance(actor, dict):
        return None
    account = actor.get("account")
    if actor.get("objectType", "Agent") != "Agent" or not isinstance(account, dict):
        return None
    home = account.get("homePage")
    if not isinstance(home, str) or home.rstrip("/") != iri.base_url():
        return None
    name = account.get("name", "")
    return int(name) if isinstance(name, str) and name.isdigit() and len(name) < 12 else None


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StatementError("invalid_result", f"{what} must be a number")
    if not math.isfinite(value):
        raise StatementError("score_out_of_range", f"{what} must be a finite number")
    return float(value)


def _check_result(result: Any) -> tuple[float | None, bool | None, bool | None, int | None]:
    if not isinstance(result, dict):
        raise StatementError("invalid_result", "result must be an object")
    scaled = None
    score = result.get("score")
    if score is not None:
        if not isinstance(score, dict):
            raise StatementError("invalid_result", "result.score must be an object")
        low = _number(score["min"], "score.min") if "min" in score else None
        high = _number(score["max"], "score.max") if "max" in score else None
        if low is not None and high is not None and low >= high:
            raise StatementError("score_out_of_range", "score.min must be below score.max")
        if "scaled" in score:
            scaled = _number(score["scaled"], "score.scaled")
            if not -1 <= scaled <= 1:
                raise StatementError("score_out_of_range", "score.scaled must be in [-1, 1]")
        if "raw" in score:
            raw = _number(score["raw"], "score.raw")
            if (low is not None and raw < low) or (high is not None and raw > high):
                raise StatementError("score_out_of_range", "score.raw must be in [min, max]")
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            raise StatementError("invalid_result", f"result.{flag} must be true or false")
    duration = parse_duration(result["duration"]) if "duration" in result else None
    return scaled, result.get("success"), result.get("completion"), duration


def _check_context(context: Any) -> dict[str, Any]:
    if not isinstance(context, dict):
        raise StatementError("invalid_context", "context must be an object")
    context = dict(context)
    if "registration" in context:
        context["registration"] = check_uuid(
            context["registration"], "invalid_context", "context.registration"
        )
    for key in ("instructor", "team"):
        if key in context:
            context[key] = check_agent(context[key], f"context.{key}", code="invalid_context")[0]
    if "language" in context and not isinstance(context["language"], str):
        raise StatementError("invalid_context", "context.language must be a language tag")
    activities = context.get("contextActivities")
    if activities is not None:
        if not isinstance(activities, dict):
            raise StatementError("invalid_context", "context.contextActivities is an object")
        fixed = {}
        for kind, value in activities.items():
            if kind not in ("parent", "grouping", "category", "other"):
                raise StatementError("invalid_context", f"contextActivities.{kind} is unknown")
            items = value if isinstance(value, list) else [value]  # xAPI 1.0 allowed one
            for item in items:
                if not isinstance(item, dict) or not _is_iri(item.get("id")):
                    raise StatementError("invalid_context", f"contextActivities.{kind} id")
                item.setdefault("objectType", "Activity")
            fixed[kind] = items
        context["contextActivities"] = fixed
    return context


@dataclass
class Parsed:
    """A normalised statement and the columns taken from it."""

    data: dict[str, Any]
    sent_timestamp: bool
    user_id: int | None
    actor_key: str
    verb_iri: str
    activity_iri: str | None
    course_iri: str | None
    registration: str | None
    voids: str | None
    score_scaled: float | None
    success: bool | None
    completion: bool | None
    duration_ms: int | None
    lesson_count: int | None
    timestamp: datetime


def normalise(statement: Any, *, stored: datetime) -> Parsed:
    """Check ``statement`` and return its canonical form: NFC strings, lower-case UUIDs, UTC
    timestamps with milliseconds, contextActivities as lists. Raises :class:`StatementError`."""
    if not isinstance(statement, dict):
        raise StatementError("invalid_statement", "a statement must be a JSON object")
    data = nfc_all(copy.deepcopy(statement))
    data["id"] = (
        check_uuid(data["id"], "invalid_id", "id")
        if data.get("id") is not None
        else str(uuid.uuid4())
    )
    if "actor" not in data:
        raise StatementError("missing_actor", "actor is missing")
    data["actor"], actor_key = check_agent(data["actor"], "actor")

    verb = data.get("verb")
    if verb is None:
        raise StatementError("missing_verb", "verb is missing")
    if not isinstance(verb, dict) or not _is_iri(verb.get("id")):
        raise StatementError("invalid_verb", "verb.id must be an IRI")

    obj = data.get("object")
    if obj is None:
        raise StatementError("missing_object", "object is missing")
    if not isinstance(obj, dict):
        raise StatementError("invalid_object", "object must be a JSON object")
    kind = obj.setdefault("objectType", "Activity")
    activity_iri = voids = None
    if kind == "Activity":
        if not _is_iri(obj.get("id")):
            raise StatementError("invalid_object", "object.id must be an activity IRI")
        activity_iri = obj["id"]
    elif kind == "StatementRef":
        obj["id"] = voids = check_uuid(obj.get("id"), "invalid_object", "object.id")
    elif kind in ("Agent", "Group"):
        data["object"] = check_agent(obj, "object", code="invalid_object")[0]
    elif kind != "SubStatement":
        raise StatementError("invalid_object", f"object.objectType {kind!r} is unknown")
    elif isinstance(obj.get("context"), dict):  # its contextActivities as lists too
        obj["context"] = _check_context(obj["context"])
    if verb["id"] == verbs.VOIDED and kind != "StatementRef":
        raise StatementError("invalid_void", "a voiding statement's object is a StatementRef")
    if verb["id"] != verbs.VOIDED:
        voids = None

    scaled = success = completion = duration = None
    if "result" in data:
        scaled, success, completion, duration = _check_result(data["result"])
    context = _check_context(data["context"]) if "context" in data else {}
    if context:
        data["context"] = context

    sent_timestamp = "timestamp" in data
    timestamp = parse_timestamp(data["timestamp"]) if sent_timestamp else stored
    data["timestamp"] = format_timestamp(timestamp)
    timestamp = parse_timestamp(data["timestamp"])  # to the millisecond, as kept

    course_iri = None
    if activity_iri and iri.activity_kind(activity_iri) == "course":
        course_iri = activity_iri
    else:
        groups = context.get("contextActivities", {})
        for item in groups.get("parent", []) + groups.get("grouping", []):
            if iri.activity_kind(item["id"]) == "course":
                course_iri = item["id"]
                break
    lesson_count = context.get("extensions", {}).get(iri.lesson_count_extension())
    if lesson_count is not None and (
        isinstance(lesson_count, bool) or not isinstance(lesson_count, int) or lesson_count < 1
    ):
        raise StatementError("invalid_context", "the lesson-count extension is a whole number ≥ 1")

    return Parsed(
        data=data,
        sent_timestamp=sent_timestamp,
        user_id=user_id_of(data["actor"]),
        actor_key=actor_key[:512],
        verb_iri=verb["id"],
        activity_iri=activity_iri,
        course_iri=course_iri,
        registration=context.get("registration"),
        voids=voids,
        score_scaled=scaled,
        success=success,
        completion=completion,
        duration_ms=duration,
        lesson_count=lesson_count,
        timestamp=timestamp,
    )


def comparable(data: dict[str, Any], *, drop_timestamp: bool) -> dict[str, Any]:
    """A stored or sent statement without the parts the store sets (and without
    ``timestamp`` when the sender left it to the store), to tell a resend from a conflict."""
    drop = (*STORE_FIELDS, "timestamp") if drop_timestamp else STORE_FIELDS
    return {k: v for k, v in data.items() if k not in drop}
