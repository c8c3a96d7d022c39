"""Shared fixtures: the app on each database backend, a rolled-back ``db`` per test, a
test client, and factories.

The suite runs on SQLite, and also on PostgreSQL when ``PORTAL_TEST_DATABASE_URL`` points at a
server (e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``): tests then create their own
database there and drop it at the end. Every test that uses ``app`` runs once per backend.
The schema is made by the migrations, as in production.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db as _db

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "correct horse battery"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the message catalogues, so a plain ``pytest`` sees today's translations."""
    from portal.i18n.cli import compile_all

    compile_all()


@contextlib.contextmanager
def loopback_server(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port from a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@contextlib.contextmanager
def scratch_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database on ``backend``; dropped afterwards."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "portal.sqlite3"
        yield f"sqlite:///{path}"
        return
    server = make_url(PG_URL or "")
    server = server.set(drivername="postgresql+psycopg")
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def make_app(database_url: str, instance: Any, **overrides: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_SECRET_KEY": "test-secret-key-0123456789",
            "PORTAL_LOGIN_RATE_LIMIT": "1000 per minute",
            "PORTAL_SIGNUP_RATE_LIMIT": "1000 per minute",
            "WTF_CSRF_ENABLED": False,
            # Index at the end of the request or command that committed, so a test sees its
            # changes in search at once (the thread mode has tests of its own).
            "PORTAL_SEARCH_INDEXING": "inline",
            **overrides,
        }
    )


@pytest.fixture(scope="session", params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The portal on one backend, its schema made by ``flask db upgrade``."""
    with scratch_database(request.param, tmp_path_factory) as url:
        application = make_app(url, tmp_path_factory.mktemp("instance"))
        application.test_client_class = IsolatedClient
        with application.app_context():
            upgrade()
        yield application
        with application.app_context():
            _db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def committed_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An app on its own scratch database, for tests whose data must really be committed
    (concurrent writers); migrated to head, dropped afterwards."""
    with scratch_database(request.param, tmp_path_factory) as url:
        application = make_app(url, tmp_path_factory.mktemp("instance"))
        with application.app_context():
            upgrade()
        yield application
        with application.app_context():
            _db.engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context (and so its own ``g`` and
    signed-in user), even when the test holds an app context open."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


class _ConnectionSession(FlaskSession):
    """Flask-SQLAlchemy's session picks an engine by itself; this one always uses the
    test's connection."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database inside a transaction that is rolled back after the test. Requests made
    by the test client commit to savepoints of that transaction."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "class_": _ConnectionSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            transaction.rollback()
            connection.close()
            # Files stored during the test go the way of its rows: the upload folder outlives
            # the rolled-back transaction, and ids repeat, so later tests would see them.
            uploads = Path(app.config["PORTAL_UPLOAD_DIR"])
            shutil.rmtree(uploads, ignore_errors=True)
            uploads.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def search_index(app: Flask, db: Any, tmp_path: Path) -> Iterator[Any]:
    """A new, empty search index for this test; yields the app's SearchService.

    The app's own index lives in its instance folder, shared by every test of the session,
    and on SQLite outbox ids repeat once a test's transaction is rolled back, so a shared
    index would hold other tests' documents and a cursor past this test's changes. The
    service's ``store`` is swapped for one in ``tmp_path`` and restored afterwards. Client
    requests index what they commit; content made with the test's own session needs
    ``db.session.commit()`` then ``search_index.drain()``."""
    from search.store import IndexStore

    service = app.extensions["search"]
    original = service.store
    service.store = IndexStore(tmp_path / "search", lock_timeout=original.lock_timeout)
    try:
        yield service
    finally:
        service.store.close()
        service.store = original


@pytest.fixture
def indexed(db: Any, search_index: Any) -> Callable[[], None]:
    """``indexed()`` commits what the test made and brings the test's index up to date."""

    def commit() -> None:
        db.session.commit()
        search_index.drain()

    return commit


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Create a user: ``make_user(roles=("teacher",), phone="0912345678")``."""
    from portal.accounts import operations
    from portal.accounts.identifiers import normalise_phone
    from portal.accounts.models import Role

    counter = iter(range(10_000, 99_999))

    def factory(
        *,
        full_name: str = "Nguyễn Thị Lan",
        phone: str | None = None,
        email: str | None = None,
        password: str = PASSWORD,
        roles: tuple[str, ...] = ("learner",),
        scopes: dict[str, tuple[str, str]] | None = None,
        **profile: Any,
    ) -> Any:
        if phone is None and email is None:
            phone = f"0912{next(counter):06d}"[:10]
        user = operations.create_user(
            full_name=full_name,
            password=password,
            phone=normalise_phone(phone) if phone else None,
            email=email,
            roles=(),
        )
        for role in roles:
            scope = (scopes or {}).get(role, (None, None))
            operations.grant_role(user, Role(role), scope_kind=scope[0], scope_code=scope[1])
        for name, value in profile.items():
            setattr(user, name, value)
        db.session.flush()
        return user

    return factory


@pytest.fixture
def make_course(db: Any, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Create a course straight in the database (no moderation):
    ``make_course(owner=None, title=..., language="vi", status="published", modules=1,
    lessons=2, quiz=True, **course_fields)``. Every module has ``lessons`` lessons; with
    ``quiz`` the last lesson of the last module ends with a quiz of two questions (single
    choice, correct "b"; true/false, correct true) and a pass mark of 50."""
    from datetime import UTC, datetime

    from courses.courseware import models as cw

    def factory(
        owner: Any = None,
        *,
        title: str = "Kỹ năng số cơ bản",
        language: str = "vi",
        status: str = "published",
        modules: int = 1,
        lessons: int = 2,
        quiz: bool = True,
        **fields: Any,
    ) -> Any:
        owner = owner or make_user(roles=("teacher",))
        now = datetime.now(UTC)
        course = cw.Course(
            owner_id=owner.id,
            status=status,
            original_language=language,
            published_at=now if status in ("published", "archived") else None,
            **fields,
        )
        course.translations.append(
            cw.CourseTranslation(language=language, title=title, summary=f"{title}: tóm tắt")
        )
        for m in range(modules):
            module = cw.Module(position=m)
            module.translations.append(
                cw.ModuleTranslation(language=language, title=f"Phần {m + 1}")
            )
            for n in range(lessons):
                lesson = cw.Lesson(position=n, estimated_minutes=10)
                lesson.translations.append(
                    cw.LessonTranslation(
                        language=language,
                        title=f"Bài {m + 1}.{n + 1}",
                        body=f"Nội dung bài {n + 1}",
                    )
                )
                module.lessons.append(lesson)
            course.modules.append(module)
        if quiz and modules and lessons:
            last = course.modules[-1].lessons[-1]
            last.quiz = cw.Quiz(pass_mark=50)
            single = cw.Question(
                position=0, kind="single", option_keys=["a", "b", "c"], answer={"correct": "b"}
            )
            single.translations.append(
                cw.QuestionTranslation(
                    language=language,
                    prompt="Mật khẩu nào mạnh nhất?",
                    options={"a": "123456", "b": "Trâu-Vàng-47-Lúa", "c": "matkhau"},
                    explanation="Dài và khó đoán.",
                )
            )
            true_false = cw.Question(position=1, kind="true_false", answer={"correct": True})
            true_false.translations.append(
                cw.QuestionTranslation(language=language, prompt="Không chia sẻ mã OTP cho ai.")
            )
            last.quiz.questions.extend([single, true_false])
        db.session.add(course)
        db.session.flush()
        return course

    return factory


@pytest.fixture
def sign_in(client: FlaskClient) -> Callable[..., Any]:
    """Sign ``user`` in on the test client."""

    def do(user: Any, password: str = PASSWORD) -> Any:
        response = client.post(
            "/sign-in", data={"identifier": user.sign_in_name, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


@pytest.fixture
def small_places(db: Any) -> tuple[Any, Any]:
    """A province and one of its communes, in force since 1 July 2025."""
    from datetime import date

    from portal.places.models import AdminUnit
    from portal.text import fold

    def unit(**fields: Any) -> Any:
        row = AdminUnit(search_name=fold(fields["name"]), valid_from=date(2025, 7, 1), **fields)
        db.session.add(row)
        db.session.flush()
        return row

    province = unit(level="province", code="68", kind="province", name="Tỉnh Lâm Đồng")
    commune = unit(
        level="commune", code="24820", kind="commune", name="Xã Đam Rông 1", parent_id=province.id
    )
    return province, commune
