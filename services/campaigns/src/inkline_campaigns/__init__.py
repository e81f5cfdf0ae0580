"""Inkline campaigns service: segments, broadcasts, nurture sequences and attribution."""

SERVICE = "campaigns"
