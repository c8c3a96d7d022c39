"""The Lifelong Learning Portal web application."""

from portal.app import create_app

__all__ = ["create_app"]
