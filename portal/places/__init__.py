"""Places: Vietnam's administrative units as versioned data (provinces, districts before
1 July 2025, communes; who succeeded whom), and the villages, residential groups and
households that administrators record under a commune."""

import logging

logger = logging.getLogger(__name__)
