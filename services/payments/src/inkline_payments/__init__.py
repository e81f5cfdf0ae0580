"""Inkline payments service: Stripe deposits, webhooks, reconciliation and refunds."""

SERVICE = "payments"
