"""Pending spreadsheet rows: events merge their values in; the flusher writes them out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_notifier.db.models import SheetRow
from inkline_notifier.domain import sheet_rows as rows


async def upsert_row(
    session: AsyncSession,
    *,
    sheet: str,
    key: str,
    updates: Mapping[str, str],
    at: datetime,
    only_if: Mapping[str, str] | None = None,
) -> None:
    """Merge `updates` into the row and mark it for the next flush; with `only_if`, only while the row
    holds those values (an event about an older hold must not touch the current one)."""
    await session.execute(
        insert(SheetRow)
        .values(sheet=sheet, key=key, values={}, stamps={}, version=0)
        .on_conflict_do_nothing(index_elements=["sheet", "key"])
    )
    row = (
        await session.execute(
            select(SheetRow).where(SheetRow.sheet == sheet, SheetRow.key == key).with_for_update()
        )
    ).scalar_one()
    if only_if is not None and any(row.values.get(field) != value for field, value in only_if.items()):
        return
    merged = rows.merge(rows.RowState(row.values, row.stamps), updates, at=at)
    values = rows.with_slot(merged.values) if sheet == rows.LEADS else merged.values
    key_column = rows.COLUMNS[sheet][0]
    await session.execute(
        update(SheetRow)
        .where(SheetRow.sheet == sheet, SheetRow.key == key)
        .values(values={**values, key_column: key}, stamps=merged.stamps, version=SheetRow.version + 1)
    )


async def lead_rows_of(session: AsyncSession, address: str) -> list[str]:
    """The keys of the Leads rows of the client at `address`. Numbers change rarely, so the scan needs no
    index; rows started before the address was kept beside them are not found."""
    keys = await session.scalars(
        select(SheetRow.key).where(
            SheetRow.sheet == rows.LEADS, SheetRow.values.op("->>")(rows.ADDRESS) == address
        )
    )
    return list(keys)
