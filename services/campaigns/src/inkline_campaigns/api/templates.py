"""`/api/templates`: the registry of Meta-approved templates campaigns may use."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path, status
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from inkline_campaigns.api.schemas import TemplateIn, TemplateOut
from inkline_campaigns.db.models import TemplateRow
from inkline_platform.uow import UnitOfWorkFactory


def _out(row: TemplateRow) -> TemplateOut:
    return TemplateOut(
        name=row.name, languages=list(row.languages), parameters=list(row.parameters), body=row.body
    )


def templates_router(*, uow: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(prefix="/api/templates", tags=["templates"])

    @router.get("")
    async def list_templates() -> list[TemplateOut]:
        """Every approved template with its languages and parameters."""
        async with uow() as unit:
            return [
                _out(row)
                for row in await unit.session.scalars(select(TemplateRow).order_by(TemplateRow.name))
            ]

    @router.put("/{name}")
    async def register_template(
        body: TemplateIn, name: str = Path(min_length=1, max_length=100, pattern=r"^[a-z0-9_]+$")
    ) -> TemplateOut:
        """Register (or update) a template once Meta has approved it."""
        values = {"languages": body.languages, "parameters": body.parameters, "body": body.body}
        async with uow() as unit:
            await unit.session.execute(
                insert(TemplateRow)
                .values(name=name, **values)
                .on_conflict_do_update(index_elements=["name"], set_=values)
            )
            await unit.commit()
        return TemplateOut(name=name, languages=body.languages, parameters=body.parameters, body=body.body)

    @router.get("/{name}")
    async def get_template(name: str) -> TemplateOut:
        """One template."""
        async with uow() as unit:
            row = await unit.session.get(TemplateRow, name)
            if row is None:
                raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no approved template {name!r}")
            return _out(row)

    return router
