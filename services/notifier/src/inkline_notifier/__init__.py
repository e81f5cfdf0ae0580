"""Inkline notifier service: WhatsApp sending, delivery status and Google Sheets logging."""

SERVICE = "notifier"
