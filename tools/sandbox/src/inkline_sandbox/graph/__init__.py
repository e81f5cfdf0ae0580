"""Local stand-in for the WhatsApp Cloud (Graph) API: the HTTP app, its scriptable state, webhook builders."""

from inkline_sandbox.graph.app import create_graph_app
from inkline_sandbox.graph.errors import KNOWN_ERRORS, GraphErrorSpec
from inkline_sandbox.graph.records import MediaItem, SendAttempt, SentMessage
from inkline_sandbox.graph.state import GraphState

__all__ = [
    "KNOWN_ERRORS",
    "GraphErrorSpec",
    "GraphState",
    "MediaItem",
    "SendAttempt",
    "SentMessage",
    "create_graph_app",
]
