"""`artist.settings_changed` → payments' copy of the artist's currency and deposits, used for the next deposit."""

from __future__ import annotations

import structlog

from inkline_contracts.envelope import Envelope
from inkline_contracts.events.artist import ArtistSettingsChanged
from inkline_payments.db.artist_settings_copy import keep
from inkline_platform.uow import UnitOfWork

log = structlog.get_logger(__name__)


class ArtistSettingsChangedHandler:
    """Keeps the newest version's currency and deposits; an older version arriving late changes nothing."""

    async def __call__(self, work: UnitOfWork, envelope: Envelope[ArtistSettingsChanged]) -> None:
        changed = envelope.payload
        await keep(work.session, changed)
        log.info("artist_settings_copied", version=changed.version, currency=changed.currency)
