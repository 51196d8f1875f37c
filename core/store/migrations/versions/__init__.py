"""Alembic revisions of the ticket store's schema, oldest first."""
