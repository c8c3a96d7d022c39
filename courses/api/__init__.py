"""A read-only JSON API for other systems: published resources and its OpenAPI document."""

import logging

logger = logging.getLogger(__name__)
