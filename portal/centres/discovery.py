"""What of the learning centres is searchable, as plain documents for ``search`` (wired with
the learning content's in ``portal.searching``).

Two roots, each with at most one document:

* ``centre:<id>`` → ``centre:<id>:vi``: the centre's name; the kind of centre, address,
  commune and province names and description. Official names and addresses are written in
  Vietnamese, so the document is Vietnamese.
* ``class:<id>`` → ``class:<id>:<language of instruction>``: the class's title; its
  programme's title, type and occupation, the centre's name, the place, commune and province,
  and the dates. A literacy, post-literacy or language programme gives the subject
  ``languages``, a digital-skills one ``digital``.

Only active centres and the open classes of active centres have documents: a class that
finishes or is cancelled, or a centre made inactive, leaves the index with what it runs. A
change to a centre re-indexes its open classes too (they carry its name and commune), so does
a change to a programme or to the name of an administrative unit. Everybody may open the
pages of a centre and of its classes; ``visible`` only re-checks, at query time, that the
centre is still active and the class still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, joinedload

from courses.discovery import CENTRE, CLASS, plain_text
from portal.centres.models import (
    Centre,
    CentreClass,
    CentreKind,
    ClassStatus,
    Programme,
    ProgrammeType,
)
from portal.extensions import db
from portal.places.models import AdminUnit, Level

ROOT_KINDS = (CENTRE, CLASS)  # the roots (and the kinds of document) this module makes
LANGUAGE = "vi"  # of a centre's document
_UNITS = "centres.units_with_centres"  # session.info: what _units_with_centres read

# Words people search for each kind of centre and type of programme: indexed in Vietnamese
# whatever the reader's interface language (the labels shown are in ``portal.centres.labels``).
CENTRE_WORDS = {
    CentreKind.CONTINUING: "Trung tâm giáo dục nghề nghiệp - giáo dục thường xuyên",
    CentreKind.CLC: "Trung tâm học tập cộng đồng",
    CentreKind.ENTERPRISE: "Doanh nghiệp",
    CentreKind.UNION: "Tổ chức đoàn thể, công đoàn",
    CentreKind.LIBRARY: "Thư viện",
}
PROGRAMME_WORDS = {
    ProgrammeType.LITERACY_1: "Xóa mù chữ mức độ 1",
    ProgrammeType.LITERACY_2: "Xóa mù chữ mức độ 2",
    ProgrammeType.POST_LITERACY: "Giáo dục tiếp tục sau khi biết chữ",
    ProgrammeType.VOCATIONAL: "Đào tạo nghề ngắn hạn",
    ProgrammeType.DIGITAL: "Kỹ năng số",
    ProgrammeType.LIFE_SKILLS: "Kỹ năng sống",
    ProgrammeType.LANGUAGE: "Ngôn ngữ",
}
# The subject (``courses.resources.vocabulary.SUBJECTS``) of a class, by programme type.
PROGRAMME_SUBJECTS = {
    ProgrammeType.LITERACY_1: "languages",
    ProgrammeType.LITERACY_2: "languages",
    ProgrammeType.POST_LITERACY: "languages",
    ProgrammeType.LANGUAGE: "languages",
    ProgrammeType.DIGITAL: "digital",
}


def watch(register: Any) -> None:
    """Tell the outbox which changes touch which root (``register(Model, roots)``)."""
    register(Centre, lambda centre: _roots(Centre.id == centre.id))
    register(CentreClass, lambda centre_class: [f"{CLASS}:{centre_class.id}"])
    register(Programme, lambda programme: _class_roots(CentreClass.programme_id == programme.id))
    register(AdminUnit, _roots_of_unit)
    for name in ("after_flush", "after_transaction_end"):
        if not event.contains(Session, name, _forget_units):
            event.listen(Session, name, _forget_units)


def _roots(where: Any) -> list[str]:
    """The roots of the centres matching ``where`` and of their open classes."""
    with db.session.no_autoflush:
        numbers = list(db.session.scalars(select(Centre.id).where(where)))
    if not numbers:
        return []
    return [f"{CENTRE}:{n}" for n in numbers] + _class_roots(CentreClass.centre_id.in_(numbers))


def _class_roots(where: Any) -> list[str]:
    with db.session.no_autoflush:
        query = select(CentreClass.id).where(where, CentreClass.status == ClassStatus.OPEN.value)
        return [f"{CLASS}:{n}" for n in db.session.scalars(query)]


def _roots_of_unit(unit: AdminUnit) -> list[str]:
    """The name of a commune, or of the province above it, is in the documents of the
    centres in it."""
    if unit.id not in _units_with_centres():
        return []
    if unit.level == Level.COMMUNE:
        return _roots(Centre.commune_id == unit.id)
    communes = select(AdminUnit.id).where(AdminUnit.parent_id == unit.id)
    return _roots(Centre.commune_id.in_(communes.scalar_subquery()))


def _units_with_centres() -> set[int]:
    """The communes with a centre and their provinces, read once between two flushes:
    loading the places (``flask places load``) changes some 14,000 units at once, nearly all
    without a centre."""
    session = db.session()
    if _UNITS not in session.info:
        with session.no_autoflush:
            communes = select(Centre.commune_id)
            provinces = select(AdminUnit.parent_id).where(AdminUnit.id.in_(communes))
            numbers = set(session.scalars(communes)) | set(session.scalars(provinces))
        session.info[_UNITS] = numbers
    return session.info[_UNITS]  # type: ignore[no-any-return]


def _forget_units(session: Session, *_: Any) -> None:
    session.info.pop(_UNITS, None)


def _path(endpoint: str, **values: Any) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _split(roots: Iterable[str]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {CENTRE: [], CLASS: []}
    for root in roots:
        kind, _, number = root.partition(":")
        if kind in ids and number.isdigit():
            ids[kind].append(int(number))
    return ids


def documents(roots: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The current documents of each root (an empty list when it has none)."""
    found: dict[str, list[dict[str, Any]]] = {root: [] for root in roots}
    ids = _split(roots)
    place = joinedload(Centre.commune).joinedload(AdminUnit.parent)
    if ids[CENTRE]:
        query = select(Centre).where(Centre.id.in_(ids[CENTRE]), Centre.is_active.is_(True))
        for centre in db.session.scalars(query.options(place)):
            found[f"{CENTRE}:{centre.id}"] = [_centre_document(centre)]
    if ids[CLASS]:
        query = (
            select(CentreClass)
            .join(CentreClass.centre)
            .where(CentreClass.id.in_(ids[CLASS]), *_shown_classes())
            .options(
                joinedload(CentreClass.centre).options(place), joinedload(CentreClass.programme)
            )
        )
        for centre_class in db.session.scalars(query):
            found[f"{CLASS}:{centre_class.id}"] = [_class_document(centre_class)]
    return found


def _shown_classes() -> tuple[Any, ...]:
    """Conditions on a class joined with its centre for it to have a document."""
    return (CentreClass.status == ClassStatus.OPEN.value, Centre.is_active.is_(True))


def all_roots() -> Iterator[str]:
    for (number,) in db.session.execute(
        select(Centre.id).where(Centre.is_active.is_(True)).order_by(Centre.id)
    ):
        yield f"{CENTRE}:{number}"
    query = select(CentreClass.id).join(CentreClass.centre).where(*_shown_classes())
    for (number,) in db.session.execute(query.order_by(CentreClass.id)):
        yield f"{CLASS}:{number}"


def _places(commune: AdminUnit) -> list[str]:
    """The commune's name and its province's."""
    return [commune.name, *([commune.parent.name] if commune.parent else [])]


def _centre_document(centre: Centre) -> dict[str, Any]:
    places = _places(centre.commune)
    body = (CENTRE_WORDS.get(centre.kind), centre.address, *places, plain_text(centre.description))
    return {
        "key": f"{CENTRE}:{centre.id}:{LANGUAGE}",
        "root": f"{CENTRE}:{centre.id}",
        "kind": CENTRE,
        "language": LANGUAGE,
        "title": centre.name,
        "body": "\n".join(filter(None, body)),
        "url": _path("centres.profile", code=centre.code),
        "context": ", ".join(places),
    }


def _class_document(centre_class: CentreClass) -> dict[str, Any]:
    centre, programme = centre_class.centre, centre_class.programme
    dates = " – ".join(
        day.strftime("%d/%m/%Y") for day in (centre_class.starts_on, centre_class.ends_on) if day
    )
    body = (
        programme.title,
        PROGRAMME_WORDS.get(programme.type),
        programme.occupation,
        centre.name,
        centre_class.place,
        ", ".join(_places(centre.commune)),
        dates,
    )
    subject = PROGRAMME_SUBJECTS.get(programme.type)
    language = centre_class.language or LANGUAGE
    return {
        "key": f"{CLASS}:{centre_class.id}:{language}",
        "root": f"{CLASS}:{centre_class.id}",
        "kind": CLASS,
        "language": language,
        "title": centre_class.title,
        "body": "\n".join(filter(None, body)),
        "url": _path("centres.public_class", code=centre.code, class_id=centre_class.id),
        "context": centre.name,
        "subjects": [subject] if subject else [],
    }


def visible(hits: Iterable[Any]) -> set[str]:
    """The keys of ``hits`` (of the kinds above) that anyone may open now: the centre is
    active, the class open in an active centre."""
    hits = list(hits)
    ids = _split(hit.key.rpartition(":")[0] for hit in hits)
    shown: set[str] = set()
    if ids[CENTRE]:
        query = select(Centre.id).where(Centre.id.in_(ids[CENTRE]), Centre.is_active.is_(True))
        shown.update(f"{CENTRE}:{n}" for n in db.session.scalars(query))
    if ids[CLASS]:
        query = (
            select(CentreClass.id)
            .join(CentreClass.centre)
            .where(CentreClass.id.in_(ids[CLASS]), *_shown_classes())
        )
        shown.update(f"{CLASS}:{n}" for n in db.session.scalars(query))
    return {hit.key for hit in hits if hit.key.rpartition(":")[0] in shown}


def owns(root: str) -> bool:
    """Whether ``root`` (or a document's key) is one of this module's."""
    return root.partition(":")[0] in ROOT_KINDS
