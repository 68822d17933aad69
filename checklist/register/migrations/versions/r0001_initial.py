"""The first register schema: hazards, the event log and its chain head, 督办, id counters, imports.

Revision ID: r0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None

PLAN_KEYS = ("goal", "method", "funds", "team", "schedule", "safety")


def upgrade() -> None:
    op.create_table(
        "hazard",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("audit_path", sa.Text, nullable=False),
        sa.Column("audit_sha256", sa.String(64), nullable=False),
        sa.Column("check_id", sa.String(64), nullable=False),
        sa.Column("catalog", sa.String(64), nullable=False),
        sa.Column("catalog_sha256", sa.String(64), nullable=False),
        sa.Column("clause", sa.String(64), nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.Column("ask", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("measure", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("found_on", sa.Date, nullable=False),
        sa.Column("inspectors", sa.Text, nullable=False),
        *(sa.Column(f"plan_{key}", sa.Text, nullable=False) for key in PLAN_KEYS),
        sa.Column("interim_measures", sa.Text, nullable=False),
        sa.Column("photos", sa.Text, nullable=False),
        sa.Column("finding_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("closed_on", sa.Date),
        sa.Column("rectified_measure", sa.Text, nullable=False),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("reviewed_on", sa.Date),
        sa.Column("review_opinion", sa.Text, nullable=False),
        sa.UniqueConstraint("audit_path", "check_id", name="uq_hazard_audit_check"),
    )
    op.create_index("ix_hazard_status_due", "hazard", ["status", "due"])
    op.create_index("ix_hazard_unit", "hazard", ["unit"])
    op.create_index("ix_hazard_found_on", "hazard", ["found_on"])
    op.create_table(
        "event",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("hazard_id", sa.String(16), sa.ForeignKey("hazard.id"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(8)),
        sa.Column("to_status", sa.String(8), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_event_hazard", "event", ["hazard_id", "seq"])
    op.create_table(
        "supervision",
        sa.Column("hazard_id", sa.String(16), sa.ForeignKey("hazard.id"), primary_key=True),
        sa.Column("supervisor_unit", sa.Text, nullable=False),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
    )
    op.create_table(
        "counter",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer, nullable=False),
    )
    head = op.create_table(
        "chain_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": "0" * 64}])
    op.create_table(
        "audit_import",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("audit_import", "chain_head", "counter", "supervision", "event", "hazard"):
        op.drop_table(table)
