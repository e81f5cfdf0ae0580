"""Writes pending spreadsheet rows in batches, inside the Sheets quota (60 writes per minute per user).

Events only mark rows in the database; this job writes every pending row of a sheet in one upsert, so ten
events about one lead between two flushes cost one row write, and a flush costs at most two write calls
per sheet. A row stays pending until its write succeeded, so a quota error or a crash loses nothing: the
next flush writes it again (the upsert is by key, so a repeated write changes nothing).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import structlog
from sqlalchemy import select, update

from inkline_notifier.adapters.sheets import SheetsGateway, SheetsQuotaError
from inkline_notifier.db.models import SheetRow
from inkline_notifier.domain.sheet_rows import COLUMNS, cells
from inkline_platform.uow import UnitOfWorkFactory

log = structlog.get_logger(__name__)
MAX_ROWS_PER_WRITE = 500


class SheetsFlusher:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        gateway: SheetsGateway,
        backoff_base_seconds: float = 5.0,
        backoff_max_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._base = backoff_base_seconds
        self._max = backoff_max_seconds
        self._clock = clock
        self._quota_errors = 0
        self._resume_at = 0.0

    async def run(self) -> None:
        """Write what is pending, unless backing off after a quota error: the periodic job."""
        if self._clock() < self._resume_at:
            return
        for sheet in COLUMNS:
            try:
                await self._flush(sheet)
            except SheetsQuotaError as exc:
                self._quota_errors += 1
                ceiling = min(self._max, self._base * 2 ** (self._quota_errors - 1))
                wait = random.uniform(ceiling / 2, ceiling)
                self._resume_at = self._clock() + wait
                log.warning("sheets_quota_exceeded", retry_in=round(wait, 1), error=str(exc)[:500])
                return
        self._quota_errors = 0

    async def _flush(self, sheet: str) -> int:
        async with self._uow() as uow:
            pending = (
                await uow.session.execute(
                    select(SheetRow.key, SheetRow.values, SheetRow.version)
                    .where(SheetRow.sheet == sheet, SheetRow.version > SheetRow.written_version)
                    .order_by(SheetRow.key)
                    .limit(MAX_ROWS_PER_WRITE)
                )
            ).all()
        if not pending:
            return 0
        await self._gateway.upsert(sheet, COLUMNS[sheet], [cells(sheet, row.values) for row in pending])
        async with self._uow() as uow:
            for row in pending:
                # A row changed during the write keeps its newer version pending.
                await uow.session.execute(
                    update(SheetRow)
                    .where(
                        SheetRow.sheet == sheet,
                        SheetRow.key == row.key,
                        SheetRow.written_version < row.version,
                    )
                    .values(written_version=row.version)
                )
            await uow.commit()
        log.info("sheets_rows_written", sheet=sheet, rows=len(pending))
        return len(pending)
