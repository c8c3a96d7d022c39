"""Every model of the portal, imported so Alembic and relationships see them all."""

from courses.certificates.models import Certificate  # noqa: F401
from courses.content.models import ContentKey  # noqa: F401
from courses.courseware.models import *  # noqa: F403
from courses.learning.models import *  # noqa: F403
from courses.oai.models import *  # noqa: F403
from courses.records.models import *  # noqa: F403
from courses.resources.models import *  # noqa: F403
from courses.xapi.models import *  # noqa: F403
from portal.accounts.models import PasswordResetToken, Role, RoleAssignment, User
from portal.centres.models import *  # noqa: F403
from portal.places.models import *  # noqa: F403
from portal.recognition.models import *  # noqa: F403
from portal.reports.models import *  # noqa: F403
from portal.searching import cursors_table, outbox_table  # noqa: F401

__all__ = ["PasswordResetToken", "Role", "RoleAssignment", "User"]
