"""Every model of the portal, imported so Alembic and relationships see them all."""

from portal.accounts.models import PasswordResetToken, Role, RoleAssignment, User
from portal.places.models import *  # noqa: F403

__all__ = ["PasswordResetToken", "Role", "RoleAssignment", "User"]
