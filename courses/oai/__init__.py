"""OAI-PMH 2.0: the provider at ``/oai`` that publishes the resources' metadata, and the
harvester (``flask oai harvest``) that imports other repositories' records for search.

Rooms: ``models`` (record stamps and tombstones, harvested records and sources), ``stamps``
(keeps the stamps in step with publication, as a session event), ``records`` (oai_dc and
DC terms payloads), ``tokens`` (signed resumption tokens), ``errors``, ``provider`` (the
six verbs), ``views``/``blueprint``, ``harvester``/``cli``, ``discovery`` (harvested
records as search documents).
"""

import logging

logger = logging.getLogger(__name__)
