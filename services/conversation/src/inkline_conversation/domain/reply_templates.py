"""The approved templates the artist may send a client from the studio's Inbox once the client's 24-hour
window has closed (WhatsApp then lets a business send only a template approved in WhatsApp Manager).

Each names, in order, what fills its body variables: the artist's name, the client's first name, or the
artist's own words. The defaults are templates the sandbox's Graph fake approves in every language
Inkline writes in; a real account lists its own in INBOX_REPLY_TEMPLATES.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Parameter = Literal["artist_name", "client_first_name", "words"]


class ReplyTemplate(BaseModel):
    name: str = Field(min_length=1, max_length=512, description="as approved in WhatsApp Manager")
    title: str = Field(min_length=1, max_length=80, description="what the artist picks it by")
    description: str = Field(default="", max_length=300, description="what the client reads, roughly")
    parameters: list[Parameter] = Field(default_factory=list)

    @property
    def takes_words(self) -> bool:
        return "words" in self.parameters


DEFAULT_REPLY_TEMPLATES = (
    ReplyTemplate(
        name="inkline_artist_reply",
        title="Your own words",
        description="Starts with your name: \u201cMara replied: \u2026\u201d",
        parameters=["artist_name", "words"],
    ),
    ReplyTemplate(
        name="still_interested",
        title="Still interested?",
        description="Asks whether they still want the tattoo.",
        parameters=["client_first_name"],
    ),
    ReplyTemplate(
        name="deposit_reminder",
        title="Deposit reminder",
        description="Reminds them that their deposit link is waiting.",
        parameters=["client_first_name"],
    ),
    ReplyTemplate(
        name="healed_photo_request",
        title="Healed photo",
        description="Asks for a photo of the healed tattoo.",
        parameters=["client_first_name"],
    ),
)


def first_name(name: str | None) -> str:
    """The first word of the client's WhatsApp name; "there" (as in "Hi there") without one."""
    words = (name or "").split()
    return words[0] if words else "there"


def body_parameters(
    template: ReplyTemplate, *, artist_name: str, client_name: str | None, words: str
) -> list[str]:
    values = {"artist_name": artist_name, "client_first_name": first_name(client_name), "words": words}
    return [values[parameter] for parameter in template.parameters]
