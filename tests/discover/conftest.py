"""The resource factories, shared with the resource tests."""

from tests.resources.conftest import make_resource, teacher  # noqa: F401
