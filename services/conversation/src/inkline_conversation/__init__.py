"""Inkline conversation service: the secretary's voice on WhatsApp."""

SERVICE = "conversation"
