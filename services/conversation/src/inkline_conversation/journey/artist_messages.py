"""What the artist receives: lead summaries with action links, and handover packets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from inkline_contracts.events.lead import LeadQualified
from inkline_conversation.domain.artist_text import ARTIST_BUDGET, fit
from inkline_conversation.domain.copy import Copy, UnknownCopyKeyError
from inkline_conversation.domain.handover_reasons import handover_reason
from inkline_conversation.domain.media_signature import signed_media_url
from inkline_conversation.domain.money import Money
from inkline_conversation.domain.statuses import ActionKind
from inkline_conversation.journey.artist_buttons import BUTTON_LABELS, send_decision
from inkline_conversation.journey.client_wording import SAID, SAID_CAP, client_said, echo, language_name
from inkline_conversation.journey.turn import LeadTurn
from inkline_conversation.journey.wording import format_budget, format_windows

# The same words on the buttons and beside the links, so the README, the summary and the page agree.
ACTION_LABELS: dict[ActionKind, str] = BUTTON_LABELS
# A summary's headline is one of artist_summary.new_lead, below_minimum, waitlisted, tour_accepted, reminder.
_TRANSCRIPT_LINES = 20
# The most each of the client's answers shows in a summary; the budget may leave less (see `fit`).
_SUMMARY_CAPS = {
    "name": 60,
    "idea": 300,
    "placement": 100,
    "style": 100,
    "city": 60,
    "home_city": 60,
    "instagram": 40,
    **dict.fromkeys(SAID, SAID_CAP),
}
# References give way while the client's words would have less than this much room between them.
_WORDS_MINIMUM = 200
_REFERENCES_LISTED = 3
_REFERENCE_MAX_LENGTH = 300
# Each message of a handover transcript shows at most this much, and is not worth showing with less.
_MESSAGE_MAX = 160
_MESSAGE_MINIMUM = 40


def _reference_lines(turn: LeadTurn, qualified: LeadQualified) -> list[str]:
    settings = turn.config.settings
    # Reference images stay viewable for as long as the action links are valid.
    expires_at = turn.now + turn.config.link_ttl
    lines = [
        signed_media_url(
            base_url=settings.public_base_url,
            media_id=media_id,
            secret=settings.media_link_secret,
            expires_at=expires_at,
        )
        for media_id in qualified.reference_media_ids
    ]
    lines.extend((turn.lead.qualified or {}).get("reference_links", []))
    return lines


def _facts(turn: LeadTurn, qualified: LeadQualified, *, headline: str, words: Mapping[str, str]) -> list[str]:
    """The summary's lines, with the client's own words taken from `words` (already shortened)."""
    record = turn.lead.qualified or {}
    settings = turn.config.settings
    copy = turn.config.artist_copy

    def label(key: str) -> str:
        return f"*{copy.render(f'artist_summary.{key}')}:*"

    lines = [
        f"{_headline(copy, headline)}: {words['name']}",
        f"{label('language')} {language_name(turn.lead.language, reader=copy.language)}",
    ]
    if turn.without_number:
        # A client who shared no phone number: the artist knows them by their username.
        lines.insert(
            1, f"{label('whatsapp')} {copy.render('artist_summary.no_number', who=turn.without_number)}"
        )
    lines.append(f"{label('idea')} {words['idea']}")
    lines.append(f"{label('placement')} {words['placement']}")
    if qualified.size_cm is not None:
        length, width = qualified.size_cm
        dimensions = f"{length:g}x{width:g} cm" if width != length else f"{length:g} cm"
        session = copy.render(
            "artist_summary.session",
            size_category=copy.render(f"size_category.{qualified.size_category.value}"),
        )
        lines.append(f"{label('size')} {dimensions} ({session}){echo(words, 'said_size')}")
    if qualified.style:
        lines.append(f"{label('style')} {words['style']}")
    budget = format_budget(qualified.budget_min, qualified.budget_max, copy.formats)
    minimum_check = record.get("minimum_check")
    if minimum_check == "below":
        policy = turn.config.consultation.minimum_spend
        minimum = policy.minimum_for(qualified.country_code) if policy else None
        below = (
            copy.render("artist_summary.below_minimum_of", minimum=minimum)
            if minimum
            else copy.render("artist_summary.below_your_minimum")
        )
        budget += f" ({below})"
    elif minimum_check == "currency_mismatch":
        budget += f" ({copy.render('artist_summary.quoted_in', currency=qualified.budget_max.currency)})"
    lines.append(f"{label('budget')} {budget}{echo(words, 'said_budget')}")
    place = f"{words['city']}, {qualified.country_code}"
    tour = record.get("tour")
    if tour:
        accepted = copy.render(
            "artist_summary.tour",
            tour_city=tour["city"],
            tour_dates=format_day_range_iso(tour, copy),
            home_city=words["home_city"],
        )
        place += f" ({accepted})"
    lines.append(f"{label('where')} {place}{echo(words, 'said_city')}")
    if qualified.preferred_windows:
        lines.append(
            f"{label('dates')} {format_windows(qualified.preferred_windows, turn.config.tz, copy)}"
            f"{echo(words, 'said_dates')}"
        )
    if qualified.instagram:
        lines.append(f"{label('instagram')} @{words['instagram']}")
    deposit_minor = settings.deposit_by_size_minor.get(qualified.size_category.value)
    if deposit_minor is not None:
        lines.append(
            f"{label('deposit')} {copy.formats.money(Money(minor=deposit_minor, currency=settings.artist_currency))}"
        )
    return lines


def _headline(copy: Copy, headline: str) -> str:
    try:
        return copy.render(f"artist_summary.{headline}")
    except UnknownCopyKeyError:
        return headline.replace("_", " ")


def _understood(turn: LeadTurn, qualified: LeadQualified) -> dict[str, str]:
    """What the summary shows for the answers Inkline turned into values, to compare with the client's words."""
    size = qualified.size_cm
    copy = turn.config.artist_copy
    return {
        "said_size": f"{size[0]:g}x{size[1]:g} cm" if size else "",
        "said_budget": format_budget(qualified.budget_min, qualified.budget_max, copy.formats),
        "said_city": qualified.city,
        "said_dates": format_windows(qualified.preferred_windows, turn.config.tz, copy),
    }


def _links(turn: LeadTurn, references: Sequence[str], *, unlisted: int) -> str:
    """The chat link and the references that fit whole; a link is never shortened, only left out."""
    copy = turn.config.artist_copy
    lines = [copy.render("artist_summary.reply_hint")]
    if references:
        lines.append(f"*{copy.render('artist_summary.references')}:*\n" + "\n".join(references))
    if unlisted:
        more = "artist_summary.more_references" if unlisted > 1 else "artist_summary.more_reference"
        lines.append(copy.render(more, count=unlisted))
    return "\n".join(lines)


def summary_body(turn: LeadTurn, *, headline: str, actions_text: str) -> str:
    """The lead's summary: its facts, the action links, the chat and references, within the artist budget.

    Long answers are shortened, never the links: the message always fits in a template parameter.
    """
    qualified = LeadQualified.model_validate(turn.lead.qualified)
    record = turn.lead.qualified or {}
    words = {
        "name": turn.client_name,
        "idea": qualified.idea,
        "placement": qualified.placement,
        "style": qualified.style or "",
        "city": qualified.city,
        "home_city": str(record.get("home_city") or ""),
        "instagram": qualified.instagram or "",
    }
    words.update(client_said(record, _understood(turn, qualified)))
    every_reference = _reference_lines(turn, qualified)
    references = [link for link in every_reference if len(link) <= _REFERENCE_MAX_LENGTH][:_REFERENCES_LISTED]
    unlisted = len(every_reference) - len(references)

    def render(shortened: Mapping[str, str]) -> str:
        facts = "\n".join(_facts(turn, qualified, headline=headline, words=shortened))
        parts = (facts, actions_text, _links(turn, references, unlisted=unlisted))
        return "\n\n".join(part for part in parts if part)

    # References give way before the client's words shrink to nothing; they stay in the chat.
    while references and len(render(dict.fromkeys(words, ""))) + _WORDS_MINIMUM > ARTIST_BUDGET:
        references.pop()
        unlisted += 1
    return fit(render, words, caps=_SUMMARY_CAPS)


def format_day_range_iso(leg: dict[str, str], copy: Copy) -> str:
    return copy.formats.day_range(date.fromisoformat(leg["first_day"]), date.fromisoformat(leg["last_day"]))


async def send_lead_summary(turn: LeadTurn, *, headline: str, actions: Sequence[ActionKind]) -> None:
    await send_decision(
        turn,
        lambda actions_text: summary_body(turn, headline=headline, actions_text=actions_text),
        actions,
        purpose="artist_lead_summary",
    )


async def send_handover_packet(turn: LeadTurn, *, reason: str, field: str | None) -> None:
    """Everything the artist needs to pick up the chat: why, the client's words so far, and the way back."""
    rows = await turn.repos.inbound.latest(turn.lead.id, _TRANSCRIPT_LINES)
    said = [
        (f"{row.sent_at.astimezone(turn.config.tz):%d %b %H:%M}", row.text or f"[{row.kind}]")
        for row in reversed(rows)
    ]
    why = handover_reason(reason, field, turn.config.artist_copy)
    await send_decision(
        turn,
        lambda actions_text: handover_body(turn, why=why, actions_text=actions_text, said=said),
        (ActionKind.RESUME_BOT, ActionKind.APPROVE, ActionKind.REJECT),
        purpose="handover_alert",
    )


def handover_body(turn: LeadTurn, *, why: str, actions_text: str, said: Sequence[tuple[str, str]]) -> str:
    """The packet within the artist budget: the newest messages that fit, each shortened if long."""
    shown = len(said)
    # An older message gives way while the newer ones would not each keep a readable length.
    while (
        shown
        and len(_packet(turn, why, actions_text, said, shown, words=None)) + _MESSAGE_MINIMUM * shown
        > ARTIST_BUDGET
    ):
        shown -= 1
    words = {"name": turn.client_name} | {
        str(index): text for index, (_, text) in enumerate(said[len(said) - shown :])
    }
    caps = {"name": _SUMMARY_CAPS["name"]} | dict.fromkeys(words.keys() - {"name"}, _MESSAGE_MAX)
    return fit(
        lambda shortened: _packet(turn, why, actions_text, said, shown, words=shortened), words, caps=caps
    )


def _packet(
    turn: LeadTurn,
    why: str,
    actions_text: str,
    said: Sequence[tuple[str, str]],
    shown: int,
    *,
    words: Mapping[str, str] | None,
) -> str:
    """The handover packet showing the last `shown` messages; `words=None` renders them empty."""
    copy = turn.config.artist_copy
    recent = said[len(said) - shown :]
    lines = [f"{stamp} {words[str(index)] if words else ''}" for index, (stamp, _) in enumerate(recent)]
    if shown < len(said):
        # No count: only the last messages were read, so the chat may hold more than `said`.
        lines.insert(0, copy.render("artist_handover.earlier"))
    name = words["name"] if words else ""
    # The links go before the transcript, so even a cut message would keep them.
    parts = (
        f"{copy.render('artist_handover.needs_you', name=name, why=why)}\n{copy.render('artist_summary.reply_hint')}",
        actions_text,
        f"*{copy.render('artist_handover.said_so_far')}:*\n"
        f"{chr(10).join(lines) or copy.render('artist_handover.none')}",
    )
    return "\n\n".join(part for part in parts if part)
