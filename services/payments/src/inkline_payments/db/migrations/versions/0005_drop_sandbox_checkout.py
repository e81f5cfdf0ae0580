"""The in-process sandbox checkout is gone: in the sandbox, the hub's Stripe fake keeps the sessions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP TABLE sandbox_checkout_sessions")


def downgrade() -> None:
    # The table as 0002 made it, empty: its sessions were only ever the sandbox's.
    op.execute(
        """
        CREATE TABLE sandbox_checkout_sessions (
            id varchar(255) PRIMARY KEY,
            status varchar(20) NOT NULL,
            payment_status varchar(30) NOT NULL,
            amount_total bigint NOT NULL,
            currency varchar(3) NOT NULL,
            description text NOT NULL,
            client_reference_id varchar(200),
            session_metadata jsonb NOT NULL,
            expires_at timestamptz NOT NULL,
            payment_intent_id varchar(255),
            amount_refunded integer NOT NULL DEFAULT 0,
            refund_id varchar(255),
            created_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
