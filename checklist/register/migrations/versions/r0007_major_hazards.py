"""重大事故隐患 as 京广发〔2026〕11号 demands: a hazard's grading basis, its 治理方案's author, who
reported the rectification, the 治理评估, the supervising unit's 督办销号, a 延期 asked for and not
yet decided, the day of its last move; 通报/约谈/线索移交 records; papers under their 文号 and who
issues them; the 生产经营单位信息台账 (businesses with their 分级分类).

The new hazard columns start empty ("" or NULL) on existing rows, which is what replaying their
older events gives (register.proof), so the log still proves every row. Events may now concern no
one hazard (a unit's 通报, a business): ``event.hazard_id`` becomes nullable, and ``event.action``
takes 32 characters (``request-extension``) — on SQLite the event table is rebuilt (batch mode),
its rows and hashes unchanged.

Revision ID: r0007
Revises: r0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0007"
down_revision = "r0006"
branch_labels = None
depends_on = None

TEXTS = (
    "basis",
    "basis_reason",
    "plan_author",
    "rectified_by",
    "assessor",
    "assessment",
    "assessment_file",
    "assessment_sha256",
    "signoff_by",
    "signoff_opinion",
    "ext_reason",
    "ext_by",
)
DATES = ("rectified_on", "assessed_on", "signoff_on", "ext_due", "ext_on", "moved_on")


def upgrade() -> None:
    for name in TEXTS:
        op.add_column("hazard", sa.Column(name, sa.Text, nullable=False, server_default=""))
    for name in DATES:
        op.add_column("hazard", sa.Column(name, sa.Date, nullable=True))
    with op.batch_alter_table("event") as batch:
        batch.alter_column("hazard_id", existing_type=sa.String(16), nullable=True)
        batch.alter_column("action", existing_type=sa.String(16), type_=sa.String(32), existing_nullable=False)
    op.create_table(
        "oversight",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("hazard_id", sa.String(16), sa.ForeignKey("hazard.id")),
        sa.Column("organiser", sa.Text, nullable=False),
        sa.Column("whom", sa.Text, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("matter", sa.Text, nullable=False),
        sa.Column("follow_up", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_oversight_unit", "oversight", ["unit"])
    op.create_index("ix_oversight_hazard", "oversight", ["hazard_id"])
    op.create_table(
        "issuer",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("prefix", sa.Text, nullable=False),
    )
    op.create_table(
        "paper",
        sa.Column("number", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("prefix", sa.Text, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("hazards", sa.Text, nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("issued_by", sa.Text, nullable=False),
        sa.Column("issued_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("kind", "subject", name="uq_paper_kind_subject"),
        sa.UniqueConstraint("prefix", "year", "seq", name="uq_paper_prefix_year_seq"),
    )
    op.create_table(
        "business",
        sa.Column("credit_code", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("industry", sa.Text, nullable=False),
        sa.Column("grade", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_business_name", "business", ["name"])


def downgrade() -> None:
    op.drop_index("ix_business_name", "business")
    op.drop_table("business")
    op.drop_table("paper")
    op.drop_table("issuer")
    op.drop_index("ix_oversight_hazard", "oversight")
    op.drop_index("ix_oversight_unit", "oversight")
    op.drop_table("oversight")
    with op.batch_alter_table("event") as batch:
        batch.alter_column("hazard_id", existing_type=sa.String(16), nullable=False)
        batch.alter_column("action", existing_type=sa.String(32), type_=sa.String(16), existing_nullable=False)
    with op.batch_alter_table("hazard") as batch:
        for name in (*TEXTS, *DATES):
            batch.drop_column(name)
