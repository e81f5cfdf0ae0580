"""Conversation service configuration (environment variables, `.env`)."""

from __future__ import annotations

from pydantic import Field, SecretStr, model_validator

from inkline_contracts.languages import Language
from inkline_conversation.domain.reply_templates import DEFAULT_REPLY_TEMPLATES, ReplyTemplate
from inkline_platform.settings import ServiceSettings, refuse_sandbox_values, require_hub_settings

SANDBOX_APP_SECRET = "sandbox-app-secret"  # noqa: S105 - the sandbox hub signs with it; refused outside sandbox
SANDBOX_VERIFY_TOKEN = "sandbox-verify-token"  # noqa: S105
SANDBOX_ACCESS_TOKEN = "sandbox-access-token"  # noqa: S105 - accepted only by the sandbox hub
SANDBOX_LINK_SECRET = "sandbox-link-secret"  # noqa: S105
SANDBOX_ADMIN_TOKEN = "sandbox-conversation-admin-token"  # noqa: S105 - refused outside sandbox


class ConversationSettings(ServiceSettings):
    http_port: int = 8001
    public_base_url: str = Field(default="http://127.0.0.1:8001", description="base of artist action links")
    whatsapp_app_secret: SecretStr = SecretStr(SANDBOX_APP_SECRET)
    whatsapp_verify_token: SecretStr = SecretStr(SANDBOX_VERIFY_TOKEN)
    whatsapp_graph_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_access_token: SecretStr = SecretStr(SANDBOX_ACCESS_TOKEN)
    artist_whatsapp_number: str = "447700900000"
    media_link_secret: SecretStr = Field(
        default=SecretStr(SANDBOX_LINK_SECRET), description="signs the artist's links to reference images"
    )
    conversation_admin_token: SecretStr = Field(
        default=SecretStr(SANDBOX_ADMIN_TOKEN), description="bearer token of /api (the studio's calls)"
    )

    # The artist, as clients hear about them.
    artist_name: str = "Rowan"
    artist_currency: str = Field(default="GBP", min_length=3, max_length=3)
    artist_timezone: str = "Europe/London"
    studio_address: str = "Studio 3, 12 Example Street, London"
    # Optional model-based reading of what the rules cannot (any OpenAI-compatible chat-completions API).
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = Field(default=8.0, gt=0, description="the whole call, answer included")
    llm_calls_per_lead: int = Field(default=4, ge=0, description="model calls one lead may cost at most")
    # What a client asking mid-consultation ("do you do cover-ups?", "¿haces color?") is told.
    artist_does_cover_ups: bool = True
    artist_does_colour: bool = True
    faq_answers: dict[str, str] = Field(
        default_factory=dict,
        description="the artist's own answers, sent as written, by topic (price, availability, cover_up, "
        'colour, bring), e.g. {"bring": "Photo ID and a snack."}; the studio\'s Settings edit them',
    )
    default_language: str = "en"
    # A language Inkline has no artist texts for is refused at start-up rather than read as English.
    artist_language: Language = Field(default="en", description="the language of every text the artist reads")
    opt_out_words: list[str] = Field(
        default_factory=list, description="localised STOP words on top of STOP, UNSUBSCRIBE and OPT OUT"
    )

    # Money rules, in minor units of the artist's currency.
    minimum_spend_minor: int = Field(default=15000, ge=0, description="0 disables the minimum")
    minimum_spend_by_country: dict[str, int] = Field(default_factory=dict, description='e.g. {"US": 20000}')
    deposit_by_size_minor: dict[str, int] = Field(
        default_factory=lambda: {"small": 5000, "medium": 10000, "large": 15000, "full_day": 20000},
        description="the deposit by size: shown in the artist's summary, and charged once the artist saves "
        "Settings (until then payments' DEPOSITS rules apply)",
    )

    # Timings.
    action_link_ttl_hours: float = Field(default=7 * 24, gt=0)
    consult_reminder_hours: list[float] = Field(default=[12.0, 36.0])
    consult_abandon_hours: float = Field(default=48.0, gt=0)
    approval_reminder_hours: float = Field(default=24.0, gt=0)
    reminder_check_seconds: float = Field(default=60.0, gt=0)
    media_check_seconds: float = Field(default=2.0, gt=0)
    # A client who sends more than this many messages in a minute is answered once for the burst.
    flood_messages_per_minute: int = Field(default=20, ge=1)
    catch_up_after_seconds: float = Field(
        default=10.0,
        gt=0,
        description="a deferred or orphaned message waits this long before the catch-up pass",
    )

    # The artist's change policy, stated in the booking confirmation and applied to changes made in chat.
    free_reschedule_notice_hours: float = Field(
        default=72.0, ge=0, description="a reschedule asked for at least this long before is free"
    )
    free_reschedules: int = Field(default=1, ge=0, description="how many free reschedules a booking gets")
    refund_notice_hours: float = Field(
        default=72.0, ge=0, description="a cancellation at least this long before gets the deposit back"
    )

    # Around the appointment: reminders before it, aftercare after it (hours on the artist's clock).
    appointment_early_reminder_hours: float = Field(default=72.0, gt=0)
    appointment_final_reminder_hours: float = Field(default=24.0, gt=0)
    appointment_early_reminder_on: bool = True
    appointment_final_reminder_on: bool = True
    aftercare_hour: int = Field(default=19, ge=0, le=23, description="local hour of aftercare messages")
    aftercare_check_in_days: int = Field(default=3, ge=1)
    healed_photo_days: int = Field(default=42, ge=1)
    appointment_check_seconds: float = Field(default=60.0, gt=0)
    # Approved utility templates; parameters: {{1}} time, {{2}} prep notes (reminder); {{1}} notes (aftercare).
    appointment_reminder_template: str = "appointment_reminder"
    aftercare_evening_template: str = "aftercare_evening"
    aftercare_check_in_template: str = "aftercare_check_in"
    healed_photo_template: str = "healed_photo_request"
    # While the artist has a client's chat (journey/artist_chats.py).
    artist_nudge_hours: float = Field(
        default=4.0, gt=0, description="one reminder when a client has waited this long for the artist"
    )
    artist_working_hours: tuple[int, int] = Field(
        default=(9, 20), description="the artist's local hours [start, end) when a reminder may go"
    )
    artist_holding_reply_hours: float = Field(
        default=20.0,
        gt=0,
        description="a client unanswered this long gets a short 'they have your message' (before their window closes)",
    )
    artist_chat_check_seconds: float = Field(default=60.0, gt=0)
    artist_digest_hour: int | None = Field(
        default=8, ge=0, le=23, description="local hour of the artist's daily digest; null turns it off"
    )
    # The artist's reply outside the client's 24-hour window; {{1}} the artist's name, {{2}} their words.
    artist_reply_template: str = "inkline_artist_reply"
    inbox_reply_templates: list[ReplyTemplate] = Field(
        default_factory=lambda: list(DEFAULT_REPLY_TEMPLATES),
        description="approved templates the studio's Inbox offers outside the client's 24-hour window (JSON)",
    )
    # Approved utility templates with one body variable and quick-reply buttons, by their buttons in order
    # (journey/artist_buttons.py); outside the artist's window a row of buttons without one sends links.
    artist_button_templates: dict[str, str] = Field(
        default_factory=lambda: {
            "approve+reject+take_over": "inkline_artist_lead_decision",
            "approve+reject": "inkline_artist_lead_decision_short",
            "resume_bot+approve+reject": "inkline_artist_chat_handover",
        }
    )

    @model_validator(mode="after")
    def _real_secrets_outside_sandbox(self) -> ConversationSettings:
        refuse_sandbox_values(
            self,
            {
                "whatsapp_app_secret": SANDBOX_APP_SECRET,
                "whatsapp_verify_token": SANDBOX_VERIFY_TOKEN,
                "whatsapp_access_token": SANDBOX_ACCESS_TOKEN,
                "media_link_secret": SANDBOX_LINK_SECRET,
                "conversation_admin_token": SANDBOX_ADMIN_TOKEN,
            },
            # Meta issues the access token in its own format; the rest key HMACs or are tokens we choose.
            strong={
                "whatsapp_app_secret",
                "whatsapp_verify_token",
                "media_link_secret",
                "conversation_admin_token",
            },
        )
        require_hub_settings(self, ["whatsapp_graph_url"])
        return self
