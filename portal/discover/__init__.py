"""Search for visitors: the search page and its facets (the box on every page is in the
layout; the index itself is the ``search`` package, wired in ``portal.searching``)."""

import logging

logger = logging.getLogger(__name__)
