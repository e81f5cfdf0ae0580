"""Inkline's message contracts: the only place subjects and message schemas are defined."""

from inkline_contracts.envelope import Envelope, new_envelope
from inkline_contracts.subjects import ALL_SUBJECTS, Subject, dead_letter_subject, subject_by_name

__all__ = ["ALL_SUBJECTS", "Envelope", "Subject", "dead_letter_subject", "new_envelope", "subject_by_name"]
