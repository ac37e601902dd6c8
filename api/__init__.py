"""The web app: JSON API (OpenAPI at /docs) and server-rendered pages."""
