"""The REST API (django-ninja): authentication, errors, pagination and the routers of each app."""
