"""Inkline calendar service: availability, slots, TTL holds, bookings and Google Calendar events."""

SERVICE = "calendar"
