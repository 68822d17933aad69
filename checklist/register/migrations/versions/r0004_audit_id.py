"""Audits are known by their id, not their path: hazards are keyed by (audit id, check id), and
imports by audit id.

The hazards and imports of a register made before this revision were keyed by the audit's
resolved path; they get the id ``path-`` + the first 32 hex digits of that path's SHA-256, and an
import finds them by the path they came from (register.importer), so an audit imported before
stays itself where it lies. (``register upgrade`` then records each hazard's row in the log: see
register.proof.seal.)

On SQLite the hazard table is rebuilt (batch mode) to change its unique key: the caller
(db.upgrade) runs migrations with foreign keys off and checks them before committing.

Revision ID: r0004
Revises: r0003
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None


def legacy_id(path: str) -> str:
    return "path-" + hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("hazard", sa.Column("audit_id", sa.String(64), nullable=True))
    hazard = sa.table("hazard", sa.column("id"), sa.column("audit_path"), sa.column("audit_id"))
    for (path,) in conn.execute(sa.select(hazard.c.audit_path).distinct()).all():
        conn.execute(sa.update(hazard).where(hazard.c.audit_path == path).values(audit_id=legacy_id(path)))
    # a register once at this revision and downgraded: its events say which audit each hazard came from
    event = sa.table("event", sa.column("seq"), sa.column("hazard_id"), sa.column("action"), sa.column("data"))
    recorded: dict[str, str] = {}
    query = sa.select(event.c.hazard_id, event.c.data).where(event.c.action.in_(("register", "amend"))).order_by(event.c.seq)
    for hid, data in conn.execute(query):
        if '"audit_id"' in data:
            recorded[hid] = json.loads(data)["audit_id"]
    for hid, audit_id in recorded.items():
        conn.execute(sa.update(hazard).where(hazard.c.id == hid).values(audit_id=audit_id))
    by_path = dict(conn.execute(sa.select(hazard.c.audit_path, hazard.c.audit_id).where(hazard.c.id.in_(list(recorded)))).all())
    with op.batch_alter_table("hazard") as batch:
        batch.alter_column("audit_id", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("uq_hazard_audit_check", type_="unique")
        batch.create_unique_constraint("uq_hazard_audit_id_check", ["audit_id", "check_id"])

    old = sa.table(
        "audit_import",
        *(sa.column(c) for c in ("path", "sha256", "target", "unit", "imported_at")),
        sa.column("date", sa.Date),
    )
    rows = [dict(r) for r in conn.execute(sa.select(old)).mappings()]
    op.drop_table("audit_import")
    new = op.create_table(
        "audit_import",
        sa.Column("audit_id", sa.String(64), primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    if rows:
        op.bulk_insert(new, [dict(r, audit_id=by_path.get(r["path"]) or legacy_id(r["path"])) for r in rows])


def downgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("hazard") as batch:
        batch.drop_constraint("uq_hazard_audit_id_check", type_="unique")
        batch.create_unique_constraint("uq_hazard_audit_check", ["audit_path", "check_id"])
        batch.drop_column("audit_id")
    new = sa.table(
        "audit_import",
        *(sa.column(c) for c in ("path", "sha256", "target", "unit", "imported_at")),
        sa.column("date", sa.Date),
    )
    rows = {r["path"]: dict(r) for r in conn.execute(sa.select(new)).mappings()}  # one row a path: the last imported
    op.drop_table("audit_import")
    old = op.create_table(
        "audit_import",
        sa.Column("path", sa.Text, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("imported_at", sa.String(32), nullable=False),
    )
    if rows:
        op.bulk_insert(old, list(rows.values()))
