"""The store ports on SQL: tables, engines tuned for SQLite and PostgreSQL, migrations, one implementation per port."""
