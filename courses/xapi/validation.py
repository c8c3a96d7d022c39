"""The strict xAPI 2.0 rules (IEEE 9274.1.1, "Data" part) a statement sent to the LRS must
follow before it reaches the statement store.

:func:`courses.records.statements.normalise` is lenient on purpose: the portal's own pages
record statements it builds itself. Outsiders get these checks first: only the properties
the specification names, IRIs, language maps with RFC 5646 tags, UUIDs, ISO 8601 durations
and RFC 3339 timestamps, scores, interaction components, context rules, attachments. Each
failure raises :class:`Invalid` naming the JSON path, so the client can fix its statement.
Nothing here touches the database."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from courses.records import verbs


class Invalid(ValueError):
    """A statement (or query parameter) the LRS refuses with 400."""


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
_EMAIL = re.compile(r"mailto:[^@\s]+@[^@\s]+\.[^@\s]+")
_VERSION = re.compile(r"(?:1|2)\.0(?:\.\d+)?")
_DURATION = re.compile(
    r"P(?:\d+(?:\.\d+)?W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
    r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?)"
)
_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)
_NEGATIVE_ZERO = re.compile(r"-00(?::?00)?$")
# RFC 5646 language tags (well-formed, not checked against the registry).
_LANGUAGE = re.compile(
    r"(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-[Xx](?:-[A-Za-z\d]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z\d]{1,8})+|i-[A-Za-z]{2,8}|[A-Za-z]{2,3}-[A-Za-z]{2,8}(?:-[A-Za-z]+)*)"
)
_SHA2 = re.compile(r"[0-9a-fA-F]{56,128}")
_MEDIA_TYPE = re.compile(r"[\w!#$&^.+-]+/[\w!#$&^.+-]+(?:\s*;.*)?")

STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
SUBSTATEMENT_KEYS = {
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
DEFINITION_KEYS = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    *COMPONENT_LISTS,
}
CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "contextAgents",
    "contextGroups",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
ATTACHMENT_KEYS = {
    "usageType",
    "display",
    "description",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
}


def _fail(path: str, message: str) -> None:
    raise Invalid(f"{path}: {message}")


def _object(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(path, "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        _fail(path, f"has properties xAPI does not define: {', '.join(unknown)}")
    return value


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.fullmatch(value))


def iri(value: Any, path: str) -> None:
    if not is_iri(value):
        _fail(path, f"must be an IRI, got {value!r}")


def _string(value: Any, path: str) -> None:
    if not isinstance(value, str):
        _fail(path, "must be a string")


def uuid(value: Any, path: str) -> None:
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        _fail(path, f"must be a UUID, got {value!r}")


def language_tag(value: Any) -> bool:
    return isinstance(value, str) and bool(_LANGUAGE.fullmatch(value))


def language_map(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be a language map (an object of language tags)")
    for tag, text in value.items():
        if not language_tag(tag):
            _fail(path, f"{tag!r} is not an RFC 5646 language tag")
        if not isinstance(text, str):
            _fail(f"{path}.{tag}", "must be a string")


def extensions(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        _fail(path, "must be an object whose keys are IRIs")
    for key in value:
        iri(key, f"{path} key")


def timestamp(value: Any, path: str) -> datetime:
    """An RFC 3339 / ISO 8601 date-time; the "unknown local offset" ``-00:00`` is refused."""
    if not isinstance(value, str) or not _TIMESTAMP.fullmatch(value):
        _fail(path, f"must be an ISO 8601 timestamp, got {value!r}")
    if _NEGATIVE_ZERO.search(value):
        _fail(path, "the offset -00:00 is not allowed")
    text = value.replace("z", "Z").replace("t", "T")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{path}: {value!r} is not a date and time") from None


def duration(value: Any, path: str) -> None:
    if not isinstance(value, str) or not _DURATION.fullmatch(value):
        _fail(path, f"must be an ISO 8601 duration, got {value!r}")


def agent(value: Any, path: str, *, object_type_required: bool = False) -> None:
    """An Agent or a Group."""
    if not isinstance(value, dict):
        _fail(path, "must be an Agent or Group object")
    kind = value.get("objectType", None if object_type_required else "Agent")
    if kind == "Group":
        group(value, path)
        return
    if kind != "Agent":
        _fail(path, "objectType must be Agent or Group")
    _object(value, path, AGENT_KEYS)
    _identifier(value, path, required=True)


def group(value: Any, path: str, *, identified: bool | None = None) -> None:
    _object(value, path, AGENT_KEYS | {"member"})
    if value.get("objectType") != "Group":
        _fail(path, 'a Group needs "objectType": "Group"')
    has_ifi = _identifier(value, path, required=False)
    if identified is True and not has_ifi:
        _fail(path, "must be an identified Group")
    if identified is False and has_ifi:
        _fail(path, "must be an anonymous Group")
    members = value.get("member")
    if members is None and not has_ifi:
        _fail(path, "an anonymous Group needs a member list")
    if members is not None:
        if not isinstance(members, list) or (not members and not has_ifi):
            _fail(f"{path}.member", "must be a list of Agents")
        for index, member in enumerate(members):
            where = f"{path}.member[{index}]"
            if isinstance(member, dict) and member.get("objectType", "Agent") != "Agent":
                _fail(where, "a Group's members are Agents")
            agent(member, where)


def _identifier(value: dict[str, Any], path: str, *, required: bool) -> bool:
    if "name" in value:
        _string(value["name"], f"{path}.name")
    found = [key for key in IFIS if key in value]
    if len(found) > 1:
        _fail(path, "must have only one of mbox, mbox_sha1sum, openid, account")
    if not found:
        if required:
            _fail(path, "needs one of mbox, mbox_sha1sum, openid, account")
        return False
    key = found[0]
    ifi = value[key]
    if key == "mbox":
        if not isinstance(ifi, str) or not _EMAIL.fullmatch(ifi):
            _fail(f"{path}.mbox", "must be a mailto: IRI with an e-mail address")
    elif key == "mbox_sha1sum":
        if not isinstance(ifi, str) or not _SHA1.fullmatch(ifi):
            _fail(f"{path}.mbox_sha1sum", "must be the hex SHA-1 of a mailto: IRI")
    elif key == "openid":
        iri(ifi, f"{path}.openid")
    else:
        _object(ifi, f"{path}.account", {"homePage", "name"})
        iri(ifi.get("homePage"), f"{path}.account.homePage")
        if not isinstance(ifi.get("name"), str):
            _fail(f"{path}.account.name", "must be a string")
    return True


def verb(value: Any, path: str = "verb") -> None:
    _object(value, path, {"id", "display"})
    iri(value.get("id"), f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def activity(value: Any, path: str) -> None:
    _object(value, path, {"objectType", "id", "definition"})
    if value.get("objectType", "Activity") != "Activity":
        _fail(f"{path}.objectType", "must be Activity")
    iri(value.get("id"), f"{path}.id")
    if "definition" in value:
        definition(value["definition"], f"{path}.definition")


def definition(value: Any, path: str) -> None:
    _object(value, path, DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    if "type" in value:
        iri(value["type"], f"{path}.type")
    if "moreInfo" in value:
        iri(value["moreInfo"], f"{path}.moreInfo")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    kind = value.get("interactionType")
    used = [key for key in ("correctResponsesPattern", *COMPONENT_LISTS) if key in value]
    if kind is None:
        if used:
            _fail(path, f"{used[0]} needs an interactionType")
        return
    if not isinstance(kind, str) or kind not in INTERACTION_TYPES:
        _fail(f"{path}.interactionType", f"{kind!r} is not an xAPI interaction type")
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            _fail(f"{path}.correctResponsesPattern", "must be a list of strings")
    for key in COMPONENT_LISTS:
        if key not in value:
            continue
        if key not in INTERACTION_TYPES[kind]:
            _fail(f"{path}.{key}", f"is not used by the interaction type {kind}")
        components = value[key]
        if not isinstance(components, list):
            _fail(f"{path}.{key}", "must be a list of interaction components")
        seen = set()
        for index, component in enumerate(components):
            where = f"{path}.{key}[{index}]"
            _object(component, where, {"id", "description"})
            if not isinstance(component.get("id"), str) or not component["id"].strip():
                _fail(f"{where}.id", "must be a non-empty string")
            if component["id"] in seen:
                _fail(f"{where}.id", "ids of interaction components must be distinct")
            seen.add(component["id"])
            if "description" in component:
                language_map(component["description"], f"{where}.description")


def statement_ref(value: Any, path: str) -> None:
    _object(value, path, {"objectType", "id"})
    if value.get("objectType") != "StatementRef":
        _fail(f"{path}.objectType", "must be StatementRef")
    uuid(value.get("id"), f"{path}.id")


def _target(value: Any, path: str, *, sub: bool) -> str:
    """The statement's object; its objectType."""
    if not isinstance(value, dict):
        _fail(path, "must be an object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind in ("Agent", "Group"):
        agent(value, path, object_type_required=True)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement":
        if sub:
            _fail(path, "a SubStatement cannot contain a SubStatement")
        _statement(value, path, sub=True)
    else:
        _fail(f"{path}.objectType", f"{kind!r} is not an xAPI objectType")
    return kind


def result(value: Any, path: str) -> None:
    _object(value, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in value:
        score = _object(value["score"], f"{path}.score", {"scaled", "raw", "min", "max"})
        numbers = {}
        for key, number in score.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                _fail(f"{path}.score.{key}", "must be a number")
            numbers[key] = number
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            _fail(f"{path}.score.scaled", "must be between -1 and 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and low >= high:
            _fail(f"{path}.score", "min must be below max")
        if raw is not None and (
            (low is not None and raw < low) or (high is not None and raw > high)
        ):
            _fail(f"{path}.score.raw", "must lie between min and max")
    for key in ("success", "completion"):
        if key in value and not isinstance(value[key], bool):
            _fail(f"{path}.{key}", "must be true or false")
    if "response" in value:
        _string(value["response"], f"{path}.response")
    if "duration" in value:
        duration(value["duration"], f"{path}.duration")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def context(value: Any, path: str, object_kind: str) -> None:
    _object(value, path, CONTEXT_KEYS)
    if "registration" in value:
        uuid(value["registration"], f"{path}.registration")
    if "instructor" in value:
        agent(value["instructor"], f"{path}.instructor")
    if "team" in value:
        group(value["team"], f"{path}.team")
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}")
            if object_kind != "Activity":
                _fail(f"{path}.{key}", "is only allowed when the object is an Activity")
    if "language" in value and not language_tag(value["language"]):
        _fail(f"{path}.language", "must be an RFC 5646 language tag")
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    if "contextActivities" in value:
        groups = _object(
            value["contextActivities"],
            f"{path}.contextActivities",
            {"parent", "grouping", "category", "other"},
        )
        for key, items in groups.items():
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                activity(item, f"{path}.contextActivities.{key}[{index}]")
    for key, kind, member in (
        ("contextAgents", "contextAgent", "agent"),
        ("contextGroups", "contextGroup", "group"),
    ):
        if key not in value:
            continue
        items = value[key]
        if not isinstance(items, list):
            _fail(f"{path}.{key}", f"must be a list of {kind} objects")
        for index, item in enumerate(items):
            where = f"{path}.{key}[{index}]"
            _object(item, where, {"objectType", member, "relevantTypes"})
            if item.get("objectType") != kind:
                _fail(f"{where}.objectType", f"must be {kind}")
            if member not in item:
                _fail(where, f"needs {member}")
            if member == "agent":
                person = item["agent"]
                if isinstance(person, dict) and person.get("objectType", "Agent") != "Agent":
                    _fail(f"{where}.agent", "must be an Agent")
                agent(person, f"{where}.agent")
            else:
                group(item["group"], f"{where}.group")
            if "relevantTypes" in item:
                types = item["relevantTypes"]
                if not isinstance(types, list) or not types:
                    _fail(f"{where}.relevantTypes", "must be a non-empty list of IRIs")
                for number, type_iri in enumerate(types):
                    iri(type_iri, f"{where}.relevantTypes[{number}]")


def attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        _fail(path, "must be a list of attachments")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        _object(item, where, ATTACHMENT_KEYS)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in item:
                _fail(where, f"needs {key}")
        iri(item["usageType"], f"{where}.usageType")
        language_map(item["display"], f"{where}.display")
        if "description" in item:
            language_map(item["description"], f"{where}.description")
        if not isinstance(item["contentType"], str) or not _MEDIA_TYPE.fullmatch(
            item["contentType"]
        ):
            _fail(f"{where}.contentType", "must be an Internet media type")
        length = item["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            _fail(f"{where}.length", "must be a whole number")
        if not isinstance(item["sha2"], str) or not _SHA2.fullmatch(item["sha2"]):
            _fail(f"{where}.sha2", "must be the hex SHA-2 hash of the content")
        if "fileUrl" in item:
            iri(item["fileUrl"], f"{where}.fileUrl")


def _statement(value: Any, path: str, *, sub: bool) -> None:
    prefix = f"{path}." if path else ""
    _object(value, path or "statement", SUBSTATEMENT_KEYS if sub else STATEMENT_KEYS)
    for key in ("actor", "verb", "object"):
        if key not in value:
            _fail(path or "statement", f"needs {key}")
    agent(value["actor"], f"{prefix}actor")
    verb(value["verb"], f"{prefix}verb")
    kind = _target(value["object"], f"{prefix}object", sub=sub)
    if "result" in value:
        result(value["result"], f"{prefix}result")
    if "context" in value:
        context(value["context"], f"{prefix}context", kind)
    if "timestamp" in value:
        timestamp(value["timestamp"], f"{prefix}timestamp")
    if "attachments" in value:
        attachments(value["attachments"], f"{prefix}attachments")
    if not sub and value["verb"].get("id") == verbs.VOIDED and kind != "StatementRef":
        _fail(f"{prefix}object", "a voiding statement's object must be a StatementRef")


def statement(value: Any) -> None:
    """Check one statement sent to the LRS; raise :class:`Invalid` on the first fault."""
    if not isinstance(value, dict):
        _fail("statement", "must be a JSON object")
    if value.get("id") is not None:
        uuid(value["id"], "id")
    _statement(value, "", sub=False)
    if "stored" in value:
        timestamp(value["stored"], "stored")
    if "version" in value and (
        not isinstance(value["version"], str) or not _VERSION.fullmatch(value["version"])
    ):
        _fail("version", "must be 1.0, 1.0.x, 2.0 or 2.0.x")
    if "authority" in value:
        authority = value["authority"]
        if isinstance(authority, dict) and authority.get("objectType") == "Group":
            group(authority, "authority", identified=False)
            if len(authority.get("member") or []) != 2:
                _fail("authority.member", "an authority Group has exactly two Agents")
        else:
            agent(authority, "authority")
