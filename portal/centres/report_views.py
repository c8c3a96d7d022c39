"""(filled in by its area)"""

from flask import Blueprint


def register(bp: Blueprint) -> None:
    """Add this area's URL rules to the centres blueprint."""
