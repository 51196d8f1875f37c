"""Alembic environment and revisions for the ticket store's schema."""
