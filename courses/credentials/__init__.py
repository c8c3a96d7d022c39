"""Open Badges 3.0 credentials: every certificate (course, programme, recognised title) as a
W3C Verifiable Credential 2.0 signed with an ``eddsa-rdfc-2022`` Data Integrity proof by the
portal's ``did:key``, downloadable from its verify page, with revocation published as a
Bitstring Status List. Rooms: ``keys`` (the issuer key from ``PORTAL_CREDENTIAL_KEY``, base58,
did:key), ``proofs`` (offline JSON-LD canonicalisation with the bundled contexts in
``data/contexts``; sign and verify), ``badges`` (the ``OpenBadgeCredential`` of a
certificate), ``status`` (the status lists), ``views`` (their downloads; the URL rules are in
``courses/certificates/blueprint.py``). See docs/standards.md, "Open Badges 3.0".
"""

import logging

logger = logging.getLogger(__name__)
