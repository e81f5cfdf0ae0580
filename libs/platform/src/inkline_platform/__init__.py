"""Inkline's shared plumbing: settings, database, outbox, inbox, consumers, logging, health. No business logic."""
