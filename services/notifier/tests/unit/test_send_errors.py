from __future__ import annotations

import pytest

from inkline_notifier.domain.send_errors import Action, action_for


@pytest.mark.parametrize(
    ("http_status", "code", "action"),
    [
        (429, 130429, Action.REQUEUE),
        (400, 130429, Action.REQUEUE),
        (429, 131056, Action.REQUEUE),
        (401, 190, Action.REQUEUE),
        (400, 131047, Action.TEMPLATE),
        (400, 131026, Action.FAIL),
        (400, 100, Action.FAIL),
        (400, 131009, Action.FAIL),
        (500, 131000, Action.RETRY),
        (503, 131016, Action.RETRY),
        (502, None, Action.RETRY),
        (None, None, Action.RETRY),
    ],
)
def test_each_cloud_api_error_gets_its_handling(
    http_status: int | None, code: int | None, action: Action
) -> None:
    assert action_for(http_status=http_status, code=code) is action
