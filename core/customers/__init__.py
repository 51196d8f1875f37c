"""Customers: accounts (organisations), the people in them, their platform identities and verified linking."""
