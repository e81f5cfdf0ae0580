"""What the artist may change from the studio while the service runs: a subset of ConversationSettings.

The environment's values are the first-start defaults; once the artist saves, the stored values override
them for every later turn (journey/turn.py reads them per unit of work), with no restart.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from inkline_contracts.base import Currency
from inkline_contracts.languages import Language
from inkline_conversation.domain.client_questions import Topic
from inkline_conversation.settings import ConversationSettings

SIZES = ("small", "medium", "large", "full_day")
# A WhatsApp text holds 4096 characters; an FAQ answer is a few sentences, and the open question follows it.
FAQ_ANSWER_MAX = 1000
FaqAnswer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=FAQ_ANSWER_MAX)]


class ArtistSettings(BaseModel):
    """One complete version of the artist's editable settings; money in minor units of their currency.

    The fields after the change policy were added later: a version saved before them holds None there, and
    None means the environment's value (`applied`, `completed`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    artist_name: str = Field(min_length=1, max_length=80)
    studio_address: str = Field(max_length=300)
    minimum_spend_minor: int = Field(ge=0, description="0 disables the minimum")
    deposit_by_size_minor: dict[str, int] = Field(
        description="estimated deposit by size, shown to the artist"
    )
    artist_does_cover_ups: bool
    artist_does_colour: bool
    # A policy may ask for a long notice (a year, in some studios' terms), never more.
    free_reschedule_notice_hours: float = Field(ge=0, le=24 * 366)
    refund_notice_hours: float = Field(ge=0, le=24 * 366)
    appointment_early_reminder_hours: float = Field(gt=0, le=24 * 60)
    appointment_final_reminder_hours: float = Field(gt=0, le=24 * 60)
    artist_language: Language | None = Field(
        default=None, description="the language of every text the artist reads"
    )
    artist_currency: Currency | None = Field(default=None, description="the currency of every amount here")
    faq_answers: dict[Topic, FaqAnswer] | None = Field(
        default=None, description="the artist's own answers by topic, sent to clients as written"
    )
    appointment_early_reminder_on: bool | None = None
    appointment_final_reminder_on: bool | None = None


def defaults_from(settings: ConversationSettings) -> ArtistSettings:
    """The environment's values: what the artist sees before their first save."""
    return ArtistSettings.model_validate(
        {name: getattr(settings, name) for name in ArtistSettings.model_fields}
    )


def completed(artist: ArtistSettings, defaults: ArtistSettings) -> ArtistSettings:
    """A saved version with the environment's value in each field it predates."""
    return defaults.model_copy(update=artist.model_dump(exclude_none=True))


def applied(settings: ConversationSettings, artist: ArtistSettings) -> ConversationSettings:
    """The service's settings with the artist's stored values in place of the environment's."""
    return settings.model_copy(update=artist.model_dump(exclude_none=True))
