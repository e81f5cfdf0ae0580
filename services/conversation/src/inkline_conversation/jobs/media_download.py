"""The periodic pass that downloads clients' reference pictures from Meta while their links still work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from inkline_conversation.adapters.graph_media import MediaSource
from inkline_conversation.db.reference_media import download_pending_media
from inkline_platform.uow import UnitOfWorkFactory


class MediaDownloads:
    def __init__(self, uow: UnitOfWorkFactory, source: MediaSource, clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._source = source
        self._clock = clock

    async def run(self) -> None:
        await download_pending_media(self._uow, self._source, now=self._clock())
