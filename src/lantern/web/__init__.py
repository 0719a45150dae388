"""The web application: HTML pages (Jinja2 + htmx) and the JSON API under /api/."""
