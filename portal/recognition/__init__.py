"""Recognition: the learning-society titles (Learning Citizen, Family, Clan, Community and
Unit) — criteria sets as versioned data, who is assessed, evidence, scoring, the yearly round
of registration, self-assessment, review and recognition, and the title certificates."""

import logging

logger = logging.getLogger(__name__)
