"""The sandbox hub: every provider Inkline talks to, on one port, with a page to play client and artist.

`make up` starts it (``python -m inkline_sandbox.hub``) and points the services' real adapters at it.
"""

from inkline_sandbox.hub.app import create_hub_app
from inkline_sandbox.hub.config import HubConfig, provider_environment
from inkline_sandbox.hub.hub import Hub

__all__ = ["Hub", "HubConfig", "create_hub_app", "provider_environment"]
