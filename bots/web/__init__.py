"""The staff dashboard under ``/dashboard``: server-rendered pages (Starlette, Jinja2) that work without JavaScript."""
