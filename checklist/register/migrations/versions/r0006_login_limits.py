"""Failed logins in the database (``register/login_limits.py``), so that several server processes
share one count.

Revision ID: r0006
Revises: r0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0006"
down_revision = "r0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("name_key", sa.String(64), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_login_attempt_key", "login_attempt", ["address", "name_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempt_key", "login_attempt")
    op.drop_table("login_attempt")
