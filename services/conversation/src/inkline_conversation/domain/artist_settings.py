"""What the artist may change from the studio while the service runs: a subset of ConversationSettings.

The environment's values are the first-start defaults; once the artist saves, the stored values override
them for every later turn (journey/turn.py reads them per unit of work), with no restart.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inkline_conversation.settings import ConversationSettings

SIZES = ("small", "medium", "large", "full_day")


class ArtistSettings(BaseModel):
    """One complete version of the artist's editable settings; money in minor units of their currency."""

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


def defaults_from(settings: ConversationSettings) -> ArtistSettings:
    """The environment's values: what the artist sees before their first save."""
    return ArtistSettings.model_validate(
        {name: getattr(settings, name) for name in ArtistSettings.model_fields}
    )


def applied(settings: ConversationSettings, artist: ArtistSettings) -> ConversationSettings:
    """The service's settings with the artist's stored values in place of the environment's."""
    return settings.model_copy(update=artist.model_dump())
