"""The booking journey: what the secretary does with each message, event and artist action, per lead."""
