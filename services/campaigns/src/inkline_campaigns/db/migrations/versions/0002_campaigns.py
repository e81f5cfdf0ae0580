"""Full read model, templates, segments, campaigns and recipients, nurture sequences; built-in seed data.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import json
import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)

# Seed data is written out here, not imported, so this revision keeps producing the same rows.
TEMPLATES = [
    ("still_interested", ["en"], ["first name"]),
    ("deposit_reminder", ["en"], ["first name"]),
    ("tour_update", ["en"], ["first name", "city"]),
    ("healed_photo_request", ["en"], ["first name"]),
    ("flash_day", ["en"], ["first name", "city"]),
    ("last_minute_slot", ["en"], ["first name"]),
]
SEGMENTS = [
    ("Waitlisted", {"waitlisted": True}),
    ("Abandoned consultations", {"abandoned": True}),
    ("Past clients", {"past_booked": True}),
    ("Deposit expired", {"deposit_expired": True}),
]
FIRST_NAME = [{"field": "profile_name", "fallback": "there"}]
SEQUENCES: list[dict[str, Any]] = [
    {
        "name": "Abandoned consultation",
        "trigger": "lead_status",
        "trigger_status": "abandoned",
        "steps": [{"delay_hours": 24, "template": "still_interested", "language": "en", "parameters": FIRST_NAME}],
        "stop_on_statuses": [],
        "active": True,
    },
    {
        "name": "Deposit expired",
        "trigger": "deposit_expired",
        "trigger_status": None,
        "steps": [{"delay_hours": 24, "template": "deposit_reminder", "language": "en", "parameters": FIRST_NAME}],
        "stop_on_statuses": ["deposit_paid"],
        "active": True,
    },
    {
        "name": "Waitlist tour update",
        "trigger": "tour_leg_in_city",
        "trigger_status": None,
        "steps": [
            {
                "delay_hours": 0,
                "template": "tour_update",
                "language": "en",
                "parameters": FIRST_NAME + [{"field": "city", "fallback": None}],
            }
        ],
        "stop_on_statuses": [],
        "active": True,
    },
    {
        "name": "Healed photo request",
        "trigger": "booked",
        "trigger_status": None,
        "steps": [{"delay_hours": 1008, "template": "healed_photo_request", "language": "en", "parameters": FIRST_NAME}],
        "stop_on_statuses": [],
        "active": True,
    },
]


def upgrade() -> None:
    contact_columns: list[sa.Column[Any]] = [
        sa.Column("language", sa.String(10)),
        sa.Column("opted_in", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("consent_changed_at", TZ),
        sa.Column("latest_lead_id", sa.Uuid),
        sa.Column("latest_lead_at", TZ),
        sa.Column("status", sa.String(40)),
        sa.Column("city", sa.String(100)),
        sa.Column("country_code", sa.String(2)),
        sa.Column("timezone", sa.String(64)),
        sa.Column("style", sa.String(100)),
        sa.Column("size_category", sa.String(20)),
        sa.Column("budget_max_minor", sa.BigInteger),
        sa.Column("budget_currency", sa.String(3)),
        sa.Column("tags", ARRAY(sa.String(100)), nullable=False, server_default=sa.text("'{}'")),
        sa.Column("last_inbound_at", TZ),
        sa.Column("last_outbound_at", TZ),
        sa.Column("last_marketing_at", TZ),
        sa.Column("deposit_expired_at", TZ),
        sa.Column("deposit_paid_at", TZ),
        sa.Column("deposits_paid_minor", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.Column("first_booked_at", TZ),
        sa.Column("last_booked_at", TZ),
        sa.Column("bookings", sa.Integer, nullable=False, server_default=sa.text("0")),
    ]
    for column in contact_columns:
        op.add_column("contacts", column)
    op.create_index("ix_contacts_status", "contacts", ["status"])
    op.create_index("ix_contacts_city", "contacts", [sa.text("lower(city)")])

    lead_columns: list[sa.Column[Any]] = [
        sa.Column("status_changed_at", TZ),
        sa.Column("city", sa.String(100)),
        sa.Column("country_code", sa.String(2)),
        sa.Column("style", sa.String(100)),
        sa.Column("size_category", sa.String(20)),
        sa.Column("budget_min_minor", sa.BigInteger),
        sa.Column("budget_max_minor", sa.BigInteger),
        sa.Column("budget_currency", sa.String(3)),
        sa.Column("qualified_at", TZ),
        sa.Column("approved_at", TZ),
        sa.Column("deposit_paid_at", TZ),
        sa.Column("booked_at", TZ),
    ]
    for column in lead_columns:
        op.add_column("leads", column)

    templates = op.create_table(
        "templates",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("languages", ARRAY(sa.String(10)), nullable=False),
        sa.Column("parameters", ARRAY(sa.String(100)), nullable=False),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
    )
    segments = op.create_table(
        "segments",
        sa.Column("segment_id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("filter", JSONB, nullable=False),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TZ, nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "campaigns",
        sa.Column("campaign_id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("tag", sa.String(100), nullable=False, unique=True),
        sa.Column("segment_id", sa.Uuid, sa.ForeignKey("segments.segment_id"), nullable=False),
        sa.Column("template_name", sa.String(100), nullable=False),
        sa.Column("template_language", sa.String(10), nullable=False),
        sa.Column("parameters", JSONB, nullable=False),
        sa.Column("scheduled_at", TZ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("audience_size", sa.Integer),
        sa.Column("snapshot_at", TZ),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("launched_at", TZ),
        sa.Column("completed_at", TZ),
        sa.Column("metrics_dirty", sa.Boolean, nullable=False, server_default=sa.text("false")),
    )
    op.create_table(
        "campaign_recipients",
        sa.Column("campaign_id", sa.Uuid, sa.ForeignKey("campaigns.campaign_id"), primary_key=True),
        sa.Column("wa_id", sa.String(20), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("skip_reason", sa.String(40)),
        sa.Column("send_after", TZ),
        sa.Column("message_id", sa.Uuid, unique=True),
        sa.Column("handed_off_at", TZ),
        sa.Column("sent_at", TZ),
        sa.Column("delivered_at", TZ),
        sa.Column("read_at", TZ),
        sa.Column("failed_at", TZ),
        sa.Column("replied_at", TZ),
        sa.Column("opted_out_at", TZ),
        sa.Column("converted_at", TZ),
        sa.Column("revenue_minor", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.Column("revenue_currency", sa.String(3)),
    )
    op.create_index(
        "ix_recipients_due",
        "campaign_recipients",
        ["campaign_id", "send_after", "wa_id"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index("ix_recipients_wa_id", "campaign_recipients", ["wa_id", "handed_off_at"])
    sequences = op.create_table(
        "sequences",
        sa.Column("sequence_id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("definition", JSONB, nullable=False),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("builtin", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("created_at", TZ, nullable=False, server_default=sa.func.now()),
    )
    op.create_table(
        "sequence_enrollments",
        sa.Column("enrollment_id", sa.Uuid, primary_key=True),
        sa.Column(
            "sequence_id", sa.Uuid, sa.ForeignKey("sequences.sequence_id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("wa_id", sa.String(20), nullable=False),
        sa.Column("lead_id", sa.Uuid),
        sa.Column("trigger_key", sa.String(200), nullable=False),
        sa.Column("enrolled_at", TZ, nullable=False),
        sa.Column("next_step", sa.Integer, nullable=False),
        sa.Column("next_due_at", TZ),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("stop_reason", sa.String(40)),
        sa.UniqueConstraint("sequence_id", "trigger_key"),
    )
    op.create_index(
        "ix_enrollments_due", "sequence_enrollments", ["next_due_at"], postgresql_where=sa.text("state = 'active'")
    )
    op.create_index("ix_enrollments_wa_id", "sequence_enrollments", ["wa_id"])
    op.create_table(
        "sequence_step_sends",
        sa.Column(
            "enrollment_id",
            sa.Uuid,
            sa.ForeignKey("sequence_enrollments.enrollment_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("step", sa.Integer, primary_key=True),
        sa.Column("message_id", sa.Uuid),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )

    op.bulk_insert(
        templates, [{"name": n, "languages": langs, "parameters": params} for n, langs, params in TEMPLATES]
    )
    op.bulk_insert(
        segments,
        [
            {"segment_id": uuid.uuid5(uuid.NAMESPACE_URL, f"inkline:segment:{name}"), "name": name,
             "filter": flt, "builtin": True}
            for name, flt in SEGMENTS
        ],
    )
    op.bulk_insert(
        sequences,
        [
            {"sequence_id": uuid.uuid5(uuid.NAMESPACE_URL, f"inkline:sequence:{seq['name']}"),
             "name": seq["name"], "definition": json.loads(json.dumps(seq)), "trigger": seq["trigger"],
             "active": True, "builtin": True}
            for seq in SEQUENCES
        ],
    )


def downgrade() -> None:
    op.drop_table("sequence_step_sends")
    op.drop_index("ix_enrollments_wa_id", table_name="sequence_enrollments")
    op.drop_index("ix_enrollments_due", table_name="sequence_enrollments")
    op.drop_table("sequence_enrollments")
    op.drop_table("sequences")
    op.drop_index("ix_recipients_wa_id", table_name="campaign_recipients")
    op.drop_index("ix_recipients_due", table_name="campaign_recipients")
    op.drop_table("campaign_recipients")
    op.drop_table("campaigns")
    op.drop_table("segments")
    op.drop_table("templates")
    for name in ("status_changed_at", "city", "country_code", "style", "size_category", "budget_min_minor",
                 "budget_max_minor", "budget_currency", "qualified_at", "approved_at", "deposit_paid_at",
                 "booked_at"):
        op.drop_column("leads", name)
    op.drop_index("ix_contacts_city", table_name="contacts")
    op.drop_index("ix_contacts_status", table_name="contacts")
    for name in ("language", "opted_in", "consent_changed_at", "latest_lead_id", "latest_lead_at", "status",
                 "city", "country_code", "timezone", "style", "size_category", "budget_max_minor",
                 "budget_currency", "tags", "last_inbound_at", "last_outbound_at", "last_marketing_at",
                 "deposit_expired_at", "deposit_paid_at", "deposits_paid_minor", "first_booked_at",
                 "last_booked_at", "bookings"):
        op.drop_column("contacts", name)
