"""Open educational resources: Markdown bodies in several languages, moderation,
published versions, attachments and a Dublin Core export."""

import logging

logger = logging.getLogger(__name__)
