"""Reading the registry of Meta-approved templates."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.db.models import TemplateRow
from inkline_campaigns.domain.templates import Template


async def load_template(session: AsyncSession, name: str) -> Template | None:
    row = await session.get(TemplateRow, name)
    if row is None:
        return None
    return Template(name=row.name, languages=tuple(row.languages), parameters=tuple(row.parameters))
