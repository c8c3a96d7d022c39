"""The resource factories, shared with the resource tests, and the learning-data factories
of the dashboard tests (for the enrolments API)."""

from tests.dashboards.conftest import complete_lesson, enrol  # noqa: F401
from tests.resources.conftest import make_resource, reviewer, teacher  # noqa: F401
