"""Checking ``content.json`` (docs/content-format.md describes every field).

:func:`validate` checks the whole ``content.json`` and every file it names and returns it
*normalised*: every optional field filled with its default, texts in NFC, prerequisite lists
sorted, so it can be compared with what :mod:`courses.content.exporter` writes for the same
item. Problems are collected, not raised one by one: :class:`PackageError` lists each with the
item key and field path.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import Any

from courses.content.package import MANIFEST, Package, PackageError, safe_package_path
from courses.courseware.models import CourseKind, CourseStatus, FeedbackMode, QuestionKind
from courses.resources.files import SNIFF_BYTES, FileRefused, check_file, safe_filename
from courses.resources.vocabulary import AUDIENCES, LEVELS, LICENCES, SUBJECTS
from portal.i18n import LANGUAGES
from portal.text import nfc

FORMAT = "hoctap-content"
VERSION = 1

KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
OPTION_KEY = re.compile(r"[a-z0-9_-]{1,20}")

TITLE_MAX = 200
SUMMARY_MAX = 1000
TEXT_MAX = 200_000
KEY_MAX = 100
MAX_OPTIONS = 20
MAX_HOURS = Decimal("9999.99")

RESOURCE_STATUSES = ("draft", "in_review", "published", "archived")
COURSE_STATUSES = tuple(s.value for s in CourseStatus)
OPTION_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.ORDERING)


@dataclass
class Checked:
    """The normalised content of a valid package, and facts about its files."""

    resources: list[dict[str, Any]]
    courses: list[dict[str, Any]]
    #: package path → (sha256, size)
    files: dict[str, tuple[str, int]] = field(default_factory=dict)


class _Checker:
    def __init__(
        self,
        package: Package,
        *,
        max_file_bytes: int,
        known_keys: Callable[[str], set[str]],
    ) -> None:
        self.package = package
        self.max_file_bytes = max_file_bytes
        self.known_keys = known_keys
        self.problems: list[str] = []
        self.files: dict[str, tuple[str, int]] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # -- plain values

    def text(
        self, where: str, value: Any, *, maximum: int, required: bool = True, strip: bool = True
    ) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.fail(where, "must be a text")
            return ""
        value = nfc(value.strip() if strip else value)
        if required and not value.strip():
            self.fail(where, "must not be empty")
        if len(value) > maximum:
            self.fail(where, f"longer than {maximum} characters")
        return value

    def boolean(self, where: str, value: Any, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, "must be true or false")
            return default
        return value

    def integer(
        self, where: str, value: Any, default: int | None, low: int, high: int | None = None
    ) -> int | None:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, "must be a whole number")
            return default
        if value < low or (high is not None and value > high):
            self.fail(where, f"must be between {low} and {high}" if high else f"must be ≥ {low}")
        return value

    def choice(self, where: str, value: Any, allowed: Any, default: str | None = None) -> str:
        if value is None and default is not None:
            return default
        if value not in allowed:
            self.fail(where, f"{value!r} is not one of {', '.join(sorted(allowed))}")
            return default or ""
        return str(value)

    def language(self, where: str, value: Any) -> str:
        if value not in LANGUAGES:
            self.fail(where, f"unknown language code {value!r}")
        return str(value)

    def subjects(self, where: str, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, "must be a list of subject codes")
            return []
        for code in value:
            if code not in SUBJECTS:
                self.fail(where, f"unknown subject {code!r}")
        return sorted(set(value))

    def fields(self, where: str, item: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(item, dict):
            self.fail(where, "must be an object")
            return {}
        for name in item:
            if name not in allowed:
                self.fail(f"{where}.{name}", "unknown field")
        return item

    def listing(self, where: str, value: Any, *, required: bool = False) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(where, "must be a list")
            return []
        return value

    def translations(
        self,
        where: str,
        value: Any,
        original: str | None,
        check: Callable[[str, dict[str, Any]], dict[str, Any]],
        names: tuple[str, ...],
    ) -> dict[str, dict[str, Any]]:
        if not isinstance(value, dict) or not value:
            self.fail(where, "must be an object of texts by language code")
            return {}
        result = {}
        for language in sorted(value):
            at = f"{where}.{language}"
            self.language(at, language)
            result[language] = check(at, self.fields(at, value[language], names))
        if original is not None and original not in value:
            self.fail(where, f"has no text in the original language {original!r}")
        return result

    def key(self, where: str, value: Any, seen: set[str]) -> str:
        if not isinstance(value, str) or len(value) > KEY_MAX or not KEY.fullmatch(value):
            self.fail(where, "a key is a slug of lower-case letters, digits and single hyphens")
            return str(value)
        if value in seen:
            self.fail(where, f"duplicate key {value!r}")
        seen.add(value)
        return value

    # -- the package

    def check(self, data: Any) -> Checked:
        top = self.fields("content.json", data, ("format", "version", "resources", "courses"))
        if top.get("format") != FORMAT:
            self.fail("content.json.format", f"must be {FORMAT!r}")
        if top.get("version") != VERSION:
            self.fail("content.json.version", f"unsupported version {top.get('version')!r}")
        if self.problems:
            return Checked([], [])
        raw_resources = self.listing("resources", top.get("resources"))
        raw_courses = self.listing("courses", top.get("courses"))
        seen: set[str] = set()
        resources = [
            self.resource(f"resources[{self._label(r, i)}]", r, seen)
            for i, r in enumerate(raw_resources)
        ]
        self.resource_keys = seen | self.known_keys("resource")
        seen_courses: set[str] = set()
        course_keys = {
            c.get("key")
            for c in raw_courses
            if isinstance(c, dict) and isinstance(c.get("key"), str)
        }
        self.course_keys = course_keys | self.known_keys("course")
        courses = [
            self.course(f"courses[{self._label(c, i)}]", c, seen_courses)
            for i, c in enumerate(raw_courses)
        ]
        return Checked(resources, courses, self.files)

    @staticmethod
    def _label(item: Any, index: int) -> str:
        key = item.get("key") if isinstance(item, dict) else None
        return key if isinstance(key, str) and key else f"#{index + 1}"

    def resource(self, where: str, raw: Any, seen: set[str]) -> dict[str, Any]:
        item = self.fields(
            where,
            raw,
            (
                "key",
                "status",
                "original_language",
                "licence",
                "audience",
                "level",
                "subjects",
                "author",
                "source",
                "translations",
                "attachments",
            ),
        )
        original = self.language(f"{where}.original_language", item.get("original_language"))

        def texts(at: str, t: dict[str, Any]) -> dict[str, Any]:
            return {
                "title": self.text(f"{at}.title", t.get("title"), maximum=TITLE_MAX),
                "summary": self.text(
                    f"{at}.summary", t.get("summary"), maximum=SUMMARY_MAX, required=False
                ),
                "body": self.text(
                    f"{at}.body", t.get("body"), maximum=TEXT_MAX, required=False, strip=False
                ),
            }

        return {
            "key": self.key(f"{where}.key", item.get("key"), seen),
            "status": self.choice(
                f"{where}.status", item.get("status"), RESOURCE_STATUSES, "draft"
            ),
            "original_language": original,
            "licence": self.choice(f"{where}.licence", item.get("licence"), LICENCES),
            "audience": self.choice(
                f"{where}.audience", item.get("audience"), AUDIENCES, "citizen"
            ),
            "level": self.choice(f"{where}.level", item.get("level"), LEVELS, "beginner"),
            "subjects": self.subjects(f"{where}.subjects", item.get("subjects")),
            "author": self.text(f"{where}.author", item.get("author"), maximum=200),
            "source": self.text(f"{where}.source", item.get("source"), maximum=500, required=False),
            "translations": self.translations(
                f"{where}.translations",
                item.get("translations"),
                original,
                texts,
                ("title", "summary", "body"),
            ),
            "attachments": [
                self.attachment(f"{where}.attachments[{n}]", a)
                for n, a in enumerate(self.listing(f"{where}.attachments", item.get("attachments")))
            ],
        }

    def attachment(self, where: str, raw: Any) -> dict[str, Any]:
        item = self.fields(where, raw, ("path", "filename"))
        path = safe_package_path(item.get("path"))
        raw_name = item.get("filename")
        if path is None:
            self.fail(
                f"{where}.path",
                f"{item.get('path')!r} is not a plain path under files/ (no '..', no absolute "
                "paths, no hidden names)",
            )
            return {"path": str(item.get("path")), "filename": str(raw_name), "sha256": ""}
        if raw_name is None:
            raw_name = PurePosixPath(path).name
        if not isinstance(raw_name, str):
            self.fail(f"{where}.filename", "must be a text")
            raw_name = PurePosixPath(path).name
        filename = safe_filename(raw_name)
        size = self.package.size(path)
        if size is None:
            self.fail(f"{where}.path", f"{path} is missing from the package")
            return {"path": path, "filename": filename, "sha256": ""}
        if size > self.max_file_bytes:
            self.fail(
                f"{where}.path",
                f"{path} is {size} bytes, more than the {self.max_file_bytes} allowed "
                "(PORTAL_MAX_ATTACHMENT_MB)",
            )
            return {"path": path, "filename": filename, "sha256": ""}
        try:
            with self.package.open(path) as stream:
                head = stream.read(SNIFF_BYTES)
            if path not in self.files:
                self.files[path] = (self.package.sha256(path), size)
        except (OSError, zipfile.BadZipFile) as exc:
            self.fail(f"{where}.path", f"{path} cannot be read ({exc})")
            return {"path": path, "filename": filename, "sha256": ""}
        try:
            check_file(filename, head)
        except FileRefused as exc:
            self.fail(
                f"{where}.filename",
                f"{filename}: file type not allowed ({exc.reason} does not match)",
            )
        return {"path": path, "filename": filename, "sha256": self.files[path][0]}

    def course(self, where: str, raw: Any, seen: set[str]) -> dict[str, Any]:
        item = self.fields(
            where,
            raw,
            (
                "key",
                "status",
                "kind",
                "original_language",
                "subjects",
                "level",
                "audience",
                "licence",
                "starts_on",
                "ends_on",
                "occupation",
                "qf_level",
                "nominal_hours",
                "completion",
                "issues_certificate",
                "translations",
                "prerequisites",
                "modules",
            ),
        )
        key = self.key(f"{where}.key", item.get("key"), seen)
        original = self.language(f"{where}.original_language", item.get("original_language"))
        kind = self.choice(
            f"{where}.kind", item.get("kind"), [k.value for k in CourseKind], "self_paced"
        )
        starts_on = self.date(f"{where}.starts_on", item.get("starts_on"))
        ends_on = self.date(f"{where}.ends_on", item.get("ends_on"))
        if kind == CourseKind.COHORT and (starts_on is None or ends_on is None):
            self.fail(where, "a cohort course needs starts_on and ends_on")
        if starts_on and ends_on and starts_on > ends_on:
            self.fail(f"{where}.ends_on", "is before starts_on")
        occupation = item.get("occupation")
        if occupation is not None:
            occupation = self.text(f"{where}.occupation", occupation, maximum=200)
        if kind == CourseKind.VOCATIONAL and not occupation:
            self.fail(f"{where}.occupation", "a vocational course needs its occupation")
        completion = self.fields(
            f"{where}.completion",
            item.get("completion") or {},
            ("require_all_lessons", "require_quizzes_passed", "min_score"),
        )

        def texts(at: str, t: dict[str, Any]) -> dict[str, Any]:
            return {
                "title": self.text(f"{at}.title", t.get("title"), maximum=TITLE_MAX),
                "summary": self.text(
                    f"{at}.summary", t.get("summary"), maximum=SUMMARY_MAX, required=False
                ),
                "description": self.text(
                    f"{at}.description",
                    t.get("description"),
                    maximum=TEXT_MAX,
                    required=False,
                    strip=False,
                ),
            }

        prerequisites = []
        for n, required in enumerate(
            self.listing(f"{where}.prerequisites", item.get("prerequisites"))
        ):
            if required == key:
                self.fail(f"{where}.prerequisites[{n}]", "a course cannot require itself")
            elif required not in self.course_keys:
                self.fail(f"{where}.prerequisites[{n}]", f"no course with key {required!r}")
            else:
                prerequisites.append(required)
        return {
            "key": key,
            "status": self.choice(f"{where}.status", item.get("status"), COURSE_STATUSES, "draft"),
            "kind": kind,
            "original_language": original,
            "subjects": self.subjects(f"{where}.subjects", item.get("subjects")),
            "level": self.choice(f"{where}.level", item.get("level"), LEVELS, "beginner"),
            "audience": self.choice(
                f"{where}.audience", item.get("audience"), AUDIENCES, "citizen"
            ),
            "licence": self.choice(f"{where}.licence", item.get("licence"), LICENCES, "cc-by"),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "occupation": occupation,
            "qf_level": self.integer(f"{where}.qf_level", item.get("qf_level"), None, 1, 8),
            "nominal_hours": self.hours(f"{where}.nominal_hours", item.get("nominal_hours")),
            "completion": {
                "require_all_lessons": self.boolean(
                    f"{where}.completion.require_all_lessons",
                    completion.get("require_all_lessons"),
                    True,
                ),
                "require_quizzes_passed": self.boolean(
                    f"{where}.completion.require_quizzes_passed",
                    completion.get("require_quizzes_passed"),
                    True,
                ),
                "min_score": self.integer(
                    f"{where}.completion.min_score", completion.get("min_score"), None, 0, 100
                ),
            },
            "issues_certificate": self.boolean(
                f"{where}.issues_certificate", item.get("issues_certificate"), True
            ),
            "translations": self.translations(
                f"{where}.translations",
                item.get("translations"),
                original,
                texts,
                ("title", "summary", "description"),
            ),
            "prerequisites": sorted(set(prerequisites)),
            "modules": [
                self.module(f"{where}.modules[{n}]", m, original)
                for n, m in enumerate(self.listing(f"{where}.modules", item.get("modules")))
            ],
        }

    def date(self, where: str, value: Any) -> str | None:
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail(where, "must be a date written YYYY-MM-DD")
            return None

    def hours(self, where: str, value: Any) -> int | float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(where, "must be a number of hours")
            return None
        try:
            hours = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.fail(where, "must be a number of hours")
            return None
        if hours < 0 or hours > MAX_HOURS:
            self.fail(where, f"must be between 0 and {MAX_HOURS}")
            return None
        return hours_number(hours)

    def module(self, where: str, raw: Any, original: str) -> dict[str, Any]:
        item = self.fields(where, raw, ("translations", "lessons"))
        return {
            "translations": self.translations(
                f"{where}.translations",
                item.get("translations"),
                original,
                lambda at, t: {
                    "title": self.text(f"{at}.title", t.get("title"), maximum=TITLE_MAX)
                },
                ("title",),
            ),
            "lessons": [
                self.lesson(f"{where}.lessons[{n}]", lesson, original)
                for n, lesson in enumerate(self.listing(f"{where}.lessons", item.get("lessons")))
            ],
        }

    def lesson(self, where: str, raw: Any, original: str) -> dict[str, Any]:
        item = self.fields(where, raw, ("estimated_minutes", "translations", "resources", "quiz"))
        resources = []
        for n, key in enumerate(self.listing(f"{where}.resources", item.get("resources"))):
            if key not in self.resource_keys:
                self.fail(f"{where}.resources[{n}]", f"no resource with key {key!r}")
            elif key in resources:
                self.fail(f"{where}.resources[{n}]", f"resource {key!r} is listed twice")
            else:
                resources.append(key)
        quiz = item.get("quiz")
        return {
            "estimated_minutes": self.integer(
                f"{where}.estimated_minutes", item.get("estimated_minutes"), 10, 1, 1000
            ),
            "translations": self.translations(
                f"{where}.translations",
                item.get("translations"),
                original,
                lambda at, t: {
                    "title": self.text(f"{at}.title", t.get("title"), maximum=TITLE_MAX),
                    "body": self.text(
                        f"{at}.body", t.get("body"), maximum=TEXT_MAX, required=False, strip=False
                    ),
                },
                ("title", "body"),
            ),
            "resources": resources,
            "quiz": None if quiz is None else self.quiz(f"{where}.quiz", quiz, original),
        }

    def quiz(self, where: str, raw: Any, original: str) -> dict[str, Any]:
        item = self.fields(
            where,
            raw,
            (
                "pass_mark",
                "max_attempts",
                "shuffle_questions",
                "shuffle_options",
                "feedback",
                "questions",
            ),
        )
        questions = self.listing(f"{where}.questions", item.get("questions"), required=True)
        if not questions:
            self.fail(f"{where}.questions", "a quiz needs at least one question")
        return {
            "pass_mark": self.integer(f"{where}.pass_mark", item.get("pass_mark"), 70, 0, 100),
            "max_attempts": self.integer(
                f"{where}.max_attempts", item.get("max_attempts"), None, 1, 100
            ),
            "shuffle_questions": self.boolean(
                f"{where}.shuffle_questions", item.get("shuffle_questions"), False
            ),
            "shuffle_options": self.boolean(
                f"{where}.shuffle_options", item.get("shuffle_options"), False
            ),
            "feedback": self.choice(
                f"{where}.feedback", item.get("feedback"), [f.value for f in FeedbackMode], "full"
            ),
            "questions": [
                self.question(f"{where}.questions[{n}]", q, original)
                for n, q in enumerate(questions)
            ],
        }

    def question(self, where: str, raw: Any, original: str) -> dict[str, Any]:
        item = self.fields(where, raw, ("kind", "points", "option_keys", "answer", "translations"))
        kind = self.choice(f"{where}.kind", item.get("kind"), [k.value for k in QuestionKind])
        keys = self.listing(f"{where}.option_keys", item.get("option_keys"))
        if kind in OPTION_KINDS:
            if len(keys) < 2 or len(keys) > MAX_OPTIONS:
                self.fail(
                    f"{where}.option_keys", f"a {kind} question needs 2 to {MAX_OPTIONS} options"
                )
            if not all(isinstance(k, str) and OPTION_KEY.fullmatch(k) for k in keys):
                self.fail(f"{where}.option_keys", 'option keys are short codes such as "a"')
            elif len(set(keys)) != len(keys):
                self.fail(f"{where}.option_keys", "an option key is listed twice")
        elif keys:
            self.fail(f"{where}.option_keys", f"a {kind} question has no options")
            keys = []
        answer = self.answer(f"{where}.answer", kind, item.get("answer"), keys)

        def texts(at: str, t: dict[str, Any]) -> dict[str, Any]:
            options = t.get("options") or {}
            if kind in OPTION_KINDS:
                if not isinstance(options, dict) or set(options) != set(keys):
                    self.fail(f"{at}.options", "must give a text for each option key, no other")
                    options = {}
                options = {
                    k: self.text(f"{at}.options.{k}", options.get(k), maximum=500) for k in keys
                }
            elif options:
                self.fail(f"{at}.options", f"a {kind} question has no options")
                options = {}
            accepted = self.listing(f"{at}.accepted", t.get("accepted"))
            if kind == QuestionKind.SHORT_TEXT:
                if not accepted:
                    self.fail(f"{at}.accepted", "a short_text question needs accepted answers")
                accepted = [
                    self.text(f"{at}.accepted[{n}]", a, maximum=200) for n, a in enumerate(accepted)
                ]
            elif accepted:
                self.fail(f"{at}.accepted", f"a {kind} question has no accepted answers")
                accepted = []
            return {
                "prompt": self.text(f"{at}.prompt", t.get("prompt"), maximum=5000),
                "options": options,
                "accepted": accepted,
                "explanation": self.text(
                    f"{at}.explanation", t.get("explanation"), maximum=5000, required=False
                ),
            }

        return {
            "kind": kind,
            "points": self.integer(f"{where}.points", item.get("points"), 1, 1, 100),
            "option_keys": list(keys),
            "answer": answer,
            "translations": self.translations(
                f"{where}.translations",
                item.get("translations"),
                original,
                texts,
                ("prompt", "options", "accepted", "explanation"),
            ),
        }

    def answer(self, where: str, kind: str, raw: Any, keys: list[Any]) -> dict[str, Any]:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            self.fail(where, "must be an object")
            return {}
        if kind == QuestionKind.SINGLE:
            self.fields(where, raw, ("correct",))
            if raw.get("correct") not in keys:
                self.fail(f"{where}.correct", "must be one of the option keys")
            return {"correct": raw.get("correct")}
        if kind == QuestionKind.MULTIPLE:
            self.fields(where, raw, ("correct",))
            correct = raw.get("correct")
            if (
                not isinstance(correct, list)
                or not correct
                or not set(correct) <= set(keys)
                or (len(set(correct)) != len(correct))
            ):
                self.fail(f"{where}.correct", "must list one or more option keys, each once")
                return {"correct": []}
            return {"correct": [k for k in keys if k in correct]}
        if kind == QuestionKind.TRUE_FALSE:
            self.fields(where, raw, ("correct",))
            if not isinstance(raw.get("correct"), bool):
                self.fail(f"{where}.correct", "must be true or false")
            return {"correct": raw.get("correct")}
        if kind == QuestionKind.SHORT_TEXT:
            self.fields(where, raw, ("case_sensitive", "accent_sensitive"))
            return {
                "case_sensitive": self.boolean(
                    f"{where}.case_sensitive", raw.get("case_sensitive"), False
                ),
                "accent_sensitive": self.boolean(
                    f"{where}.accent_sensitive", raw.get("accent_sensitive"), False
                ),
            }
        if kind == QuestionKind.NUMERIC:
            self.fields(where, raw, ("value", "tolerance"))
            value, tolerance = raw.get("value"), raw.get("tolerance", 0)
            for name, number in (("value", value), ("tolerance", tolerance)):
                if isinstance(number, bool) or not isinstance(number, int | float):
                    self.fail(f"{where}.{name}", "must be a number")
                    return {}
            if tolerance < 0:
                self.fail(f"{where}.tolerance", "must not be negative")
            return {"value": value, "tolerance": tolerance}
        if kind == QuestionKind.ORDERING:
            self.fields(where, raw, ())
            return {}
        return {}


def hours_number(hours: Decimal | float | str) -> int | float:
    """Hours as a JSON number: 300 rather than 300.00, 1.5 as 1.5."""
    hours = Decimal(str(hours))
    return int(hours) if hours == hours.to_integral_value() else float(hours)


def validate(
    package: Package,
    *,
    max_file_bytes: int,
    known_keys: Callable[[str], set[str]] = lambda kind: set(),
) -> Checked:
    """The package's content, normalised, or :class:`PackageError` listing every problem.
    ``known_keys(kind)`` gives the keys already in the database (prerequisites and lesson
    resources may name them)."""
    raw = package.read_manifest()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PackageError([f"{MANIFEST}: not UTF-8 ({exc})"]) from exc
    except json.JSONDecodeError as exc:
        raise PackageError(
            [f"{MANIFEST}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from exc
    checker = _Checker(package, max_file_bytes=max_file_bytes, known_keys=known_keys)
    checked = checker.check(data)
    if checker.problems:
        raise PackageError(checker.problems)
    return checked
