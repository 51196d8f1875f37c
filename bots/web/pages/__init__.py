"""The dashboard's pages, one module each; every one exposes ``routes(deps)``."""
