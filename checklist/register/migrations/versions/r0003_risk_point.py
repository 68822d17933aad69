"""A hazard can name its risk point (风险点): the id in the unit's risk-point file.

Revision ID: r0003
Revises: r0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (nullable, no default) on both SQLite and PostgreSQL: no table copy, the
    # event log's foreign keys to hazard stay untouched
    op.add_column("hazard", sa.Column("risk_point", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("hazard", "risk_point")
