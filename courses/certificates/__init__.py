"""Certificates: what a learner achieved (a course, a programme, a learning-society title),
issued under an unguessable code that anyone can check at ``/verify/<code>``, with a QR code
and a PDF. Rooms: ``codes`` (generate, normalise, format), ``models``, ``operations`` (issue,
revoke), ``queries``, ``pdf`` (fpdf2 with the Noto fonts in ``data/fonts``), ``views`` and
``admin_views``, ``blueprint``.

Privacy choice: a certificate is public to whoever holds its code, like a paper certificate
shown to an employer, so the verify page, the QR code and the PDF all open with the code alone.
The code carries 80 random bits, so certificates cannot be found by guessing or enumeration.
"""

import logging

logger = logging.getLogger(__name__)
