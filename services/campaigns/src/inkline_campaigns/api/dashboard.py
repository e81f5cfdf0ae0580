"""`/dashboard`: campaign and lead funnels, server-rendered, behind a sign-in with the admin token.

A sign-in gives a signed 12-hour session cookie (dashboard_session), never the token itself; failed
sign-ins are limited per address.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inkline_campaigns.api.auth import token_matches
from inkline_campaigns.api.dashboard_session import SESSION_COOKIE, DashboardSessions, LoginThrottle
from inkline_campaigns.db.metrics import campaign_metrics
from inkline_campaigns.db.models import Campaign, Contact, LeadView, Recipient
from inkline_campaigns.domain.contact_label import contact_label
from inkline_platform.uow import UnitOfWorkFactory

PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "pages"), autoescape=select_autoescape(["html"])
)


@dataclass(frozen=True)
class FunnelStep:
    label: str
    value: int
    width: float


def funnel(steps: list[tuple[str, int]]) -> list[FunnelStep]:
    top = max((value for _, value in steps), default=0) or 1
    return [FunnelStep(label, value, round(100 * value / top, 1)) for label, value in steps]


def _money(amount_minor: int, currency: str) -> str:
    return f"{amount_minor / 100:,.2f} {currency}"


async def _offered(session: AsyncSession, campaign: Campaign) -> list[dict[str, str]]:
    """Who an automatic campaign messaged (or meant to), for the artist to see at a glance."""
    rows = await session.execute(
        select(
            Contact.profile_name,
            Contact.username,
            Recipient.wa_id,
            Recipient.state,
            Recipient.skip_reason,
            Recipient.converted_at,
        )
        .join(Contact, Contact.wa_id == Recipient.wa_id)
        .where(Recipient.campaign_id == campaign.campaign_id)
        .order_by(Recipient.handed_off_at.asc().nulls_last(), Recipient.wa_id)
    )
    return [
        {
            "name": contact_label(profile_name=name, username=username, wa_id=wa_id),
            "state": "converted"
            if converted_at
            else (f"skipped ({reason})" if reason else state.replace("_", " ")),
        }
        for name, username, wa_id, state, reason, converted_at in rows
    ]


def _sign_in_page(error: str | None, status_code: int = status.HTTP_200_OK) -> HTMLResponse:
    return HTMLResponse(PAGES.get_template("login.html").render(error=error), status_code=status_code)


def _form_token(body: bytes) -> str | None:
    """The `token` field of the sign-in form; ValueError if the body is not a readable form."""
    fields = parse_qs(body.decode("utf-8"), max_num_fields=10)  # UnicodeDecodeError is a ValueError
    return fields.get("token", [None])[0]


def dashboard_router(
    *,
    uow: UnitOfWorkFactory,
    token: SecretStr,
    sessions: DashboardSessions | None = None,
    throttle: LoginThrottle | None = None,
) -> APIRouter:
    router = APIRouter(tags=["dashboard"])
    sessions = sessions or DashboardSessions(token)
    throttle = throttle or LoginThrottle()

    @router.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(request: Request) -> HTMLResponse:
        """The funnels, or the sign-in form without a valid session."""
        if not sessions.is_valid(request.cookies.get(SESSION_COOKIE)):
            return _sign_in_page(None)
        async with uow() as unit:
            leads = (
                await unit.session.execute(
                    select(
                        func.count(),
                        func.count(LeadView.qualified_at),
                        func.count(LeadView.approved_at),
                        func.count(LeadView.deposit_paid_at),
                        func.count(LeadView.booked_at),
                    ).select_from(LeadView)
                )
            ).one()
            campaigns = []
            for campaign in await unit.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())):
                metrics = await campaign_metrics(unit.session, campaign)
                automatic = campaign.kind != "broadcast"
                campaigns.append(
                    {
                        "name": campaign.name,
                        "tag": campaign.tag,
                        "status": campaign.status,
                        "automatic": automatic,
                        "offered": await _offered(unit.session, campaign) if automatic else [],
                        "funnel": funnel(
                            [
                                ("Sent", metrics.sent),
                                ("Delivered", metrics.delivered),
                                ("Read", metrics.read),
                                ("Replied", metrics.replied),
                                ("Converted", metrics.converted),
                            ]
                        ),
                        "revenue": _money(metrics.revenue.amount_minor, metrics.revenue.currency)
                        if metrics.revenue
                        else "none",
                    }
                )
        lead_funnel = funnel(
            list(zip(("New", "Qualified", "Approved", "Deposit paid", "Booked"), leads, strict=True))
        )
        return HTMLResponse(
            PAGES.get_template("dashboard.html").render(lead_funnel=lead_funnel, campaigns=campaigns)
        )

    @router.post("/dashboard/login")
    async def login(request: Request) -> Response:
        """Check the admin token from the form and start a signed session."""
        address = request.client.host if request.client else "unknown"
        wait = throttle.retry_after(address)
        if wait is not None:
            # Checked before the token, so a blocked address learns nothing from further guesses.
            minutes = math.ceil(wait / 60)
            blocked = _sign_in_page(
                f"Too many wrong tokens. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                status.HTTP_429_TOO_MANY_REQUESTS,
            )
            blocked.headers["Retry-After"] = str(wait)
            return blocked
        try:
            given = _form_token(await request.body())
        except ValueError:
            return _sign_in_page(
                "That sign-in could not be read. Please try again.", status.HTTP_400_BAD_REQUEST
            )
        if not token_matches(given, token):
            throttle.failed(address)
            return _sign_in_page("That token is not right.", status.HTTP_401_UNAUTHORIZED)
        throttle.succeeded(address)
        response = RedirectResponse("/dashboard", status_code=status.HTTP_303_SEE_OTHER)
        sessions.set_cookie(request, response)
        return response

    return router
