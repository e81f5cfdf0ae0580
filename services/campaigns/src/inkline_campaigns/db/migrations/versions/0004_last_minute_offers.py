"""Last-minute offers of freed slots: automatic campaigns, their slots, no-show history, the template.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)
LAST_MINUTE_PARAMETERS = ["client name", "date and time (artist's time zone)", "city"]


def upgrade() -> None:
    op.add_column("contacts", sa.Column("no_show_at", TZ))
    # History already in the read model: a lead that ended as a no-show marks its contact.
    op.execute(
        """
        UPDATE contacts SET no_show_at = first.at
        FROM (SELECT wa_id, min(coalesce(status_changed_at, created_at)) AS at
              FROM leads WHERE status = 'no_show' GROUP BY wa_id) AS first
        WHERE contacts.wa_id = first.wa_id
        """
    )

    op.add_column(
        "campaigns", sa.Column("kind", sa.String(20), nullable=False, server_default=sa.text("'broadcast'"))
    )
    op.add_column("campaigns", sa.Column("expires_at", TZ))
    op.add_column(
        "campaigns",
        sa.Column("quick_reply_payloads", ARRAY(sa.String(256)), nullable=False, server_default=sa.text("'{}'")),
    )
    # An automatic campaign picks its audience itself; only broadcasts go to a saved segment.
    op.alter_column("campaigns", "segment_id", existing_type=sa.Uuid, nullable=True)

    op.create_table(
        "last_minute_offers",
        sa.Column(
            "campaign_id",
            sa.Uuid,
            sa.ForeignKey("campaigns.campaign_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("booking_id", sa.Uuid, nullable=False),
        sa.Column("freed_by_lead_id", sa.Uuid, nullable=False),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("ends_at", TZ, nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("country_code", sa.String(2)),
        sa.Column("size_category", sa.String(20)),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("freed_at", TZ, nullable=False),
        sa.UniqueConstraint("booking_id", "starts_at"),
    )
    op.create_index("ix_last_minute_offers_range", "last_minute_offers", ["starts_at", "ends_at"])

    op.execute(
        sa.text("UPDATE templates SET parameters = :parameters WHERE name = 'last_minute_slot'").bindparams(
            sa.bindparam("parameters", LAST_MINUTE_PARAMETERS, type_=ARRAY(sa.String(100)))
        )
    )
    op.execute(
        sa.text(
            "INSERT INTO templates (name, languages, parameters) VALUES ('last_minute_slot', '{en}', :parameters) "
            "ON CONFLICT (name) DO NOTHING"
        ).bindparams(sa.bindparam("parameters", LAST_MINUTE_PARAMETERS, type_=ARRAY(sa.String(100))))
    )


def downgrade() -> None:
    op.execute("UPDATE templates SET parameters = '{first name}' WHERE name = 'last_minute_slot'")
    op.drop_index("ix_last_minute_offers_range", table_name="last_minute_offers")
    op.drop_table("last_minute_offers")
    op.execute("DELETE FROM campaign_recipients WHERE campaign_id IN (SELECT campaign_id FROM campaigns WHERE segment_id IS NULL)")
    op.execute("DELETE FROM campaigns WHERE segment_id IS NULL")
    op.alter_column("campaigns", "segment_id", existing_type=sa.Uuid, nullable=False)
    op.drop_column("campaigns", "quick_reply_payloads")
    op.drop_column("campaigns", "expires_at")
    op.drop_column("campaigns", "kind")
    op.drop_column("contacts", "no_show_at")
