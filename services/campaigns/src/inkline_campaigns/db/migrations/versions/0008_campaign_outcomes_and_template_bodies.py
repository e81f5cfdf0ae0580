"""What a campaign led to, told apart (a deposit paid, a booking made), and the words of each approved
template, so the studio can show a message as the client will read it.

`converted_at` stays: it is the first of either outcome, as before. A template's body is optional (one
registered before this revision has none); the built-in templates get the words Inkline submits for them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out, not imported, so this revision keeps writing the same words.
BODIES = {
    "still_interested": "Hi {{1}}, still thinking about your tattoo? Reply here and we can pick up where we left off.",
    "deposit_reminder": "Hi {{1}}, your deposit link ran out. Reply here if you would still like to book and I will send a new one.",
    "tour_update": "Hi {{1}}, I will be tattooing in {{2}} soon. Reply here if you would like a spot.",
    "healed_photo_request": "Hi {{1}}, how has your tattoo healed? I would love to see a photo of it.",
    "flash_day": "Hi {{1}}, I am doing a flash day in {{2}}. Reply here to grab a design and a time.",
    "last_minute_slot": "Hi {{1}}, a spot just opened up. Reply here if you would like it.",
}


def upgrade() -> None:
    op.add_column("campaign_recipients", sa.Column("deposit_paid_at", sa.DateTime(timezone=True)))
    op.add_column("campaign_recipients", sa.Column("booked_at", sa.DateTime(timezone=True)))
    op.add_column("templates", sa.Column("body", sa.Text))
    templates = sa.table("templates", sa.column("name", sa.String), sa.column("body", sa.Text))
    for name, body in BODIES.items():
        op.execute(templates.update().where(templates.c.name == name, templates.c.body.is_(None)).values(body=body))


def downgrade() -> None:
    op.drop_column("templates", "body")
    op.drop_column("campaign_recipients", "booked_at")
    op.drop_column("campaign_recipients", "deposit_paid_at")
