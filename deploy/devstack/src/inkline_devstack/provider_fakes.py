"""The WhatsApp Graph, Stripe and Google fakes served over real HTTP for whole-system tests.

The services run their real adapters against these: signed webhooks, Checkout Sessions, OAuth sign-in
with a service-account key, Calendar events. Tests hold the fakes' state to drive and inspect them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from inkline_sandbox.google import GoogleSandbox
from inkline_sandbox.graph import GraphState, SentMessage, create_graph_app
from inkline_sandbox.hub.keys import write_service_account
from inkline_sandbox.server import serve_in_background
from inkline_sandbox.stripe import StripeState, create_stripe_app


@dataclass(frozen=True)
class FakeCredentials:
    """What the services are configured with to talk to the fakes (none of it is a real secret)."""

    # 32 characters, as the services ask of an app secret outside the sandbox (Meta's are 32 hex digits).
    app_secret: str = "journey-app-secret-of-32-chars!!"  # noqa: S105 - a test value the fakes share
    graph_token: str = "journey-graph-token"  # noqa: S105 - a test value the fakes share
    stripe_key: str = "sk_test_journey"
    stripe_webhook_secret: str = "whsec_journey"  # noqa: S105 - a test value the fakes share
    artist: str = "447700900000"
    calendar_id: str = "artist@example.com"


CREDENTIALS = FakeCredentials()


@dataclass
class ProviderFakes:
    graph: GraphState
    stripe: StripeState
    google: GoogleSandbox
    graph_url: str
    stripe_url: str
    google_url: str
    service_account: Path
    credentials: FakeCredentials = CREDENTIALS

    def texts(self, to: str) -> list[str]:
        """What `to` has read so far, in order."""
        return [text_of(message) for message in self.graph.messages(to=to)]

    def action_paths(self, to: str, fragment: str) -> list[str]:
        """The action link paths behind the buttons of the first message to `to` that reads `fragment`."""
        message = next(message for message in self.graph.messages(to=to) if fragment in text_of(message))
        return action_paths(message)


@contextmanager
def provider_fakes(workdir: Path, credentials: FakeCredentials = CREDENTIALS) -> Iterator[ProviderFakes]:
    """Serve the three fakes on free loopback ports until the block exits."""
    google = GoogleSandbox()
    graph = GraphState(access_token=credentials.graph_token)
    stripe = StripeState(api_key=credentials.stripe_key)
    with (
        serve_in_background(create_graph_app(graph)) as graph_url,
        serve_in_background(create_stripe_app(stripe)) as stripe_url,
        serve_in_background(google.app()) as google_url,
    ):
        account = workdir / "service-account.json"
        write_service_account(account, token_uri=f"{google_url}/token", oauth=google.oauth)
        try:
            yield ProviderFakes(
                graph, stripe, google, f"{graph_url}/v21.0", stripe_url, google_url, account, credentials
            )
        finally:
            stripe.close()


def action_paths(message: SentMessage) -> list[str]:
    """`/actions/<token>` for each button of an artist message, in order: its reply buttons inside the
    artist's window, its template's quick replies outside it (a button id is `act:<token>`)."""
    if message.type == "interactive":
        ids = [button["reply"]["id"] for button in message.body.get("action", {}).get("buttons", [])]
    elif message.type == "template":
        ids = [
            parameter["payload"]
            for component in message.body.get("components", [])
            if component.get("sub_type") == "quick_reply"
            for parameter in component.get("parameters", [])
        ]
    else:
        ids = []
    return [f"/actions/{button_id.removeprefix('act:')}" for button_id in ids if button_id.startswith("act:")]


def text_of(message: SentMessage) -> str:
    """What the person read: the body, or the template parameters a fallback carried."""
    if message.type == "template":
        components = message.body.get("components", [])
        return " ".join(
            parameter.get("text", "")
            for component in components
            for parameter in component.get("parameters", [])
        )
    return message.text or ""
