"""The xAPI 2.0 learning record store (IEEE 9274.1.1) at ``/xapi/``, over the statement
store of :mod:`courses.records`: the Statements resource (filters, ``more`` paging,
voiding, attachments, signed statements), the document resources (State, Activity Profile,
Agent Profile), Activities, Agents and About, for clients holding Basic-auth credentials
issued by an administrator (:class:`courses.xapi.models.LrsClient`)."""
