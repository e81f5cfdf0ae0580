"""What to do about each way a Cloud API send can fail (Meta's error-code table)."""

from __future__ import annotations

from enum import StrEnum

THROUGHPUT_LIMIT = 130429
PAIR_RATE_LIMIT = 131056
RE_ENGAGEMENT = 131047
# Meta's "spam rate limit" and the Graph app/user/WABA call limits: wait, the message itself is fine.
_OTHER_THROTTLES = frozenset({4, 80007, 131048})
# The access token is invalid or expired: nothing a message can fix, but a fixed token will send it.
_AUTHENTICATION = frozenset({190})


class Action(StrEnum):
    REQUEUE = "requeue"
    """Wait and send again later; not counted as a failed attempt."""
    TEMPLATE = "template"
    """The contact's window is closed on Meta's clock: resend as the purpose's template."""
    RETRY = "retry"
    """A transient fault (5xx, no connection): retry a bounded number of times with jitter. A timeout
    after the request went out is not one of these: the sender waits for its status callback instead."""
    FAIL = "fail"
    """A request that will never succeed as it is."""


def action_for(*, http_status: int | None, code: int | None) -> Action:
    if code in (THROUGHPUT_LIMIT, PAIR_RATE_LIMIT) or code in _OTHER_THROTTLES or code in _AUTHENTICATION:
        return Action.REQUEUE
    if http_status == 429 or http_status == 401:
        return Action.REQUEUE
    if code == RE_ENGAGEMENT:
        return Action.TEMPLATE
    if http_status is None or http_status >= 500:
        return Action.RETRY
    return Action.FAIL
