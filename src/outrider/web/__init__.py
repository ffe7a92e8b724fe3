"""The web dashboard: server-rendered pages (Jinja2, HTMX, Leaflet) on the services and policy of the API."""
