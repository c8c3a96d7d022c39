"""Fixtures of the LRS tests: issued credentials and a test client that sends them with the
version header, as an xAPI client does."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from courses.xapi import clients

VERSION = "2.0.0"


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class Lrs:
    """A test client speaking to ``/xapi/`` with one client's credentials."""

    def __init__(self, client: FlaskClient, issued: clients.Issued) -> None:
        self.client = client
        self.issued = issued
        self.headers = {
            "Authorization": basic(issued.client.key, issued.secret),
            "X-Experience-API-Version": VERSION,
        }

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(
            f"/xapi/{path.lstrip('/')}", method=method, headers=headers, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def issue(db: Any) -> Callable[..., clients.Issued]:
    """Issue credentials: ``issue("App", scopes=["all"])``."""

    def make(name: str = "Offline app", **kwargs: Any) -> clients.Issued:
        kwargs.setdefault("scopes", ["all"])
        return clients.issue(name, **kwargs)

    return make


@pytest.fixture
def lrs(client: FlaskClient, issue: Callable[..., clients.Issued]) -> Lrs:
    """A client with every scope."""
    return Lrs(client, issue())


@pytest.fixture
def make_lrs(client: FlaskClient, issue: Callable[..., clients.Issued]) -> Callable[..., Lrs]:
    """``make_lrs(scopes=["statements/read/mine"])``: a client with other credentials."""

    def make(**kwargs: Any) -> Lrs:
        return Lrs(client, issue(**kwargs))

    return make
