"""How a message with decisions reaches the artist: reply buttons inside their 24-hour window, an approved
template with quick-reply buttons outside it, and the confirm-page links only when neither can carry them.

Each button's id (or quick-reply payload) carries the action's token, so a tap runs exactly what the
link would (journey/artist_taps.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta

from inkline_contracts.events.notify import Content, TemplateContent
from inkline_conversation.domain.copy import Copy
from inkline_conversation.domain.statuses import ActionKind
from inkline_conversation.journey import messages
from inkline_conversation.journey.artist_taps import tap_id
from inkline_conversation.journey.turn import LeadTurn

# Meta lets a business write freely to the artist only this long after the artist's last message.
ARTIST_WINDOW = timedelta(hours=24)


def button_label(action: ActionKind, copy: Copy) -> str:
    """The button's title in the artist's language (copy keeps it within WhatsApp's 20 characters)."""
    return copy.render(f"artist_action.{action.value}_button")


# The English titles, for the places that do not yet know the artist's language (action pages, README).
BUTTON_LABELS: dict[ActionKind, str] = {
    action: button_label(action, Copy.for_language("en")) for action in ActionKind
}


def template_key(actions: Sequence[ActionKind]) -> str:
    """The key of `ARTIST_BUTTON_TEMPLATES` for this row of buttons, e.g. `approve+reject+take_over`."""
    return "+".join(action.value for action in actions)


def tap_hint(action: ActionKind, copy: Copy) -> str:
    """The words standing where a link would be, when the action is a button under the message."""
    return copy.render("artist_action.tap_below", button=button_label(action, copy))


def link_lines(links: Mapping[ActionKind, str], copy: Copy | None = None) -> str:
    texts = copy or Copy.for_language("en")
    return "\n".join(f"{button_label(action, texts)}: {link}" for action, link in links.items())


def decision_content(
    body: Callable[[str], str],
    links: Mapping[ActionKind, str],
    *,
    window_open: bool,
    template: str | None,
    language: str = "en",
    copy: Copy | None = None,
) -> Content:
    """The message for `links` (action → link, in button order); `body(actions_text)` renders its text."""
    texts = copy or Copy.for_language("en")
    buttons = [
        (tap_id(link.rsplit("/", 1)[-1]), button_label(action, texts)) for action, link in links.items()
    ]
    if window_open:
        return messages.buttons(body(""), buttons)
    if template is not None:
        return TemplateContent(
            name=template,
            language=language,
            body_parameters=[messages.template_parameter(body(""))],
            quick_reply_payloads=[button_id for button_id, _ in buttons],
        )
    return messages.text(body(link_lines(links, texts)))


async def send_decision(
    turn: LeadTurn,
    body: Callable[[str], str],
    actions: Sequence[ActionKind],
    *,
    purpose: str,
    ttl: timedelta | None = None,
) -> None:
    """Issue fresh tokens for `actions` (valid `ttl`, the configured time by default) and send the artist
    `body` with them as buttons."""
    links = await turn.action_links(actions, ttl=ttl)
    last = await turn.repos.artist.last_wrote()
    settings = turn.config.settings
    content = decision_content(
        body,
        links,
        window_open=last is not None and turn.now - last < ARTIST_WINDOW,
        template=settings.artist_button_templates.get(template_key(actions)),
        copy=turn.config.artist_copy,
    )
    turn.send(content, purpose=purpose, to=settings.artist_whatsapp_number)
