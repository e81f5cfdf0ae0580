"""Everything the journey needs to know about the artist: built from settings at start, and again per turn
with what the artist last saved in the studio (`with_artist_settings`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from zoneinfo import ZoneInfo

from inkline_conversation.adapters.llm_extraction import FieldExtractor, OpenAICompatibleExtractor
from inkline_conversation.domain.appointment_policy import AppointmentPolicy
from inkline_conversation.domain.artist_settings import ArtistSettings, applied
from inkline_conversation.domain.client_questions import StudioFacts, Topic
from inkline_conversation.domain.consultation import ConsultationSettings
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.rules import MinimumSpendPolicy
from inkline_conversation.settings import ConversationSettings
from inkline_platform.clock import Clock, utc_now


@dataclass(frozen=True)
class JourneyConfig:
    settings: ConversationSettings
    consultation: ConsultationSettings
    tz: ZoneInfo
    clock: Clock = utc_now
    extractor: FieldExtractor | None = None  # a model reading what the rules cannot; None: rules only

    @property
    def artist_name(self) -> str:
        return self.settings.artist_name

    @property
    def link_ttl(self) -> timedelta:
        return timedelta(hours=self.settings.action_link_ttl_hours)

    @property
    def policy(self) -> AppointmentPolicy:
        settings = self.settings
        return AppointmentPolicy(
            free_reschedule_notice=timedelta(hours=settings.free_reschedule_notice_hours),
            free_reschedules=settings.free_reschedules,
            refund_notice=timedelta(hours=settings.refund_notice_hours),
        )

    @property
    def artist_copy(self) -> Copy:
        """The texts the artist reads, in the artist's own language (ARTIST_LANGUAGE)."""
        return Copy.for_language(self.settings.artist_language)

    def copy(self, language: str | None) -> Copy:
        """The texts in the lead's language (the artist's default when unset), English for any missing key."""
        return Copy.for_language(language or self.settings.default_language)

    def with_artist_settings(self, artist: ArtistSettings | None) -> JourneyConfig:
        """This config with the artist's saved values in place of the environment's (itself when none);
        the clock and the model reader stay the ones built at start."""
        if artist is None:
            return self
        for base, version, configured in _last_applied:
            if base is self and version is artist:
                return configured
        settings = applied(self.settings, artist)
        configured = replace(self, settings=settings, consultation=_consultation(settings))
        _last_applied[:] = [(self, artist, configured)]
        return configured


# The last saved version applied and what it made: a turn rebuilds its config only after a save, since
# db/artist_settings.py hands out the same object for as long as a version stands.
_last_applied: list[tuple[JourneyConfig, ArtistSettings, JourneyConfig]] = []


def build_config(settings: ConversationSettings, *, clock: Clock = utc_now) -> JourneyConfig:
    return JourneyConfig(
        settings=settings,
        consultation=_consultation(settings),
        tz=ZoneInfo(settings.artist_timezone),
        clock=clock,
        extractor=_extractor(settings),
    )


def _consultation(settings: ConversationSettings) -> ConsultationSettings:
    currency = settings.artist_currency.upper()
    minimum = (
        MinimumSpendPolicy(
            currency=currency,
            default_minor=settings.minimum_spend_minor,
            by_country={code.upper(): minor for code, minor in settings.minimum_spend_by_country.items()},
        )
        if settings.minimum_spend_minor > 0 or settings.minimum_spend_by_country
        else None
    )
    return ConsultationSettings(
        artist_name=settings.artist_name,
        currency=currency,
        minimum_spend=minimum,
        opt_out_words=tuple(settings.opt_out_words),
        facts=StudioFacts(
            address=settings.studio_address or None,
            minimum=minimum.minimum_for(None) if minimum is not None else None,
            does_cover_ups=settings.artist_does_cover_ups,
            does_colour=settings.artist_does_colour,
            answers=faq_answers(settings),
        ),
    )


def faq_answers(settings: ConversationSettings) -> dict[Topic, str]:
    """The artist's own answers by topic; a topic Inkline does not know was refused when it was saved."""
    return {Topic(topic): text for topic, text in settings.faq_answers.items() if text.strip()}


def _extractor(settings: ConversationSettings) -> FieldExtractor | None:
    """The model reader when LLM_BASE_URL, LLM_API_KEY and LLM_MODEL are all set; otherwise no calls."""
    if not (settings.llm_base_url and settings.llm_api_key and settings.llm_model):
        return None
    return OpenAICompatibleExtractor(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        model=settings.llm_model,
        timeout_seconds=settings.llm_timeout_seconds,
    )
