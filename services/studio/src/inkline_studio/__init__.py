"""Inkline studio: the artist's web app (sign-in, campaigns, ...), a backend-for-frontend over the services' APIs."""

SERVICE = "studio"
