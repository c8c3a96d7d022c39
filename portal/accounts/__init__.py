"""Accounts: sign-up and sign-in by phone or e-mail, profiles, roles and their scopes."""

import logging

logger = logging.getLogger(__name__)
