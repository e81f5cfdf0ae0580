"""Parsers that turn a client's free-text WhatsApp reply into a typed answer or a ParseFailure."""

from inkline_conversation.domain.parsing.failure import ParseFailure

__all__ = ["ParseFailure"]
