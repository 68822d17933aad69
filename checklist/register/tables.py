"""The register's tables — the one place they are declared (Alembic migrations create them).

A hazard row carries an optimistic ``version``: every change is ``UPDATE … WHERE version = :v``,
so two people never overwrite each other silently. ``event`` is append-only and hash-chained;
``chain_head`` is the single row every writer locks first, which serialises appends (and the
id counters) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

from checklist.vocabulary import PLAN_PARTS

metadata = MetaData()

# Hazard columns added by r0006 (texts default to "", dates to NULL): a register's older events do not
# carry them, and replaying those events gives these defaults (register.proof)
LATER_TEXTS = (
    "basis",  # 定级依据: the item of the 重大事故隐患 criteria (第四条), or 其他
    "basis_reason",  # why, when 其他
    "plan_author",  # the unit's 主要负责人 who drew up the 治理方案
    "rectified_by",  # who reported the rectification (整改完成): not its 复查人
    "assessor",  # 治理评估: who assessed
    "assessment",  # its conclusion
    "assessment_file",  # the report's file name …
    "assessment_sha256",  # … and SHA-256 (stored with the evidence)
    "signoff_by",  # 督办销号: who signed off for the supervising unit
    "signoff_opinion",
    "ext_reason",  # a 延期 requested and not yet decided: why …
    "ext_by",  # … and who asked
)
LATER_DATES = ("rectified_on", "assessed_on", "signoff_on", "ext_due", "ext_on", "moved_on")  # moved_on: the day of the last move


hazard = Table(
    "hazard",
    metadata,
    Column("id", String(16), primary_key=True),  # YH-2026-0001
    Column("audit_path", Text, nullable=False),  # where the audit was imported from (last)
    Column("audit_id", String(64), nullable=False),  # the audit's own id (audits.identity): its findings are keyed by it
    Column("audit_sha256", String(64), nullable=False),
    Column("check_id", String(64), nullable=False),
    Column("catalog", String(64), nullable=False),
    Column("catalog_sha256", String(64), nullable=False),
    Column("clause", String(64), nullable=False),
    Column("ref", Text, nullable=False),
    Column("ask", Text, nullable=False),
    Column("unit", Text, nullable=False),  # the catalog's unit id (selection.unit), or the target's name
    Column("target", Text, nullable=False),
    Column("place", Text, nullable=False, default=""),
    Column("description", Text, nullable=False, default=""),
    Column("level", String(8), nullable=False),  # 一般隐患 | 重大事故隐患
    Column("measure", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("due", Date, nullable=False),
    Column("found_on", Date, nullable=False),
    Column("inspectors", Text, nullable=False),  # 、-joined names (排查人)
    *(Column(f"plan_{key}", Text, nullable=False, default="") for key in PLAN_PARTS),
    Column("interim_measures", Text, nullable=False, default=""),
    Column("photos", Text, nullable=False, default=""),  # newline-joined paths relative to the audit's folder
    Column("finding_sha256", String(64), nullable=False),  # what the audit said, to notice a changed audit
    Column("status", String(8), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("closed_on", Date),
    Column("rectified_measure", Text, nullable=False, default=""),  # 完成情况
    Column("reviewer", Text, nullable=False, default=""),  # 复查人
    Column("reviewed_on", Date),
    Column("review_opinion", Text, nullable=False, default=""),  # 复查结论
    Column("risk_point", Text),  # the id of its risk point (风险点) in the unit's risk-point file, if the finding named one
    # r0006: what the rules for 重大事故隐患 ask of a hazard (register.lifecycle REQUIRES), each set by the events that carry it
    *(Column(name, Text, nullable=False, default="") for name in LATER_TEXTS),
    *(Column(name, Date) for name in LATER_DATES),
    UniqueConstraint("audit_id", "check_id", name="uq_hazard_audit_id_check"),
)
Index("ix_hazard_status_due", hazard.c.status, hazard.c.due)
Index("ix_hazard_unit", hazard.c.unit)
Index("ix_hazard_found_on", hazard.c.found_on)

event = Table(
    "event",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hazard_id", String(16), ForeignKey("hazard.id")),  # NULL for what concerns no one hazard (a unit's 通报, a business)
    Column("at", String(32), nullable=False),
    Column("by", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("action", String(32), nullable=False),  # r0006: 32 (request-extension)
    Column("from_status", String(8)),
    Column("to_status", String(8), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("data", Text, nullable=False, default="{}"),  # canonical JSON: the move's fields (due, approver, …)
    Column("evidence", Text, nullable=False, default="[]"),  # canonical JSON: [{"name", "sha256"}]
    Column("prev_hash", String(64), nullable=False, unique=True),
    Column("hash", String(64), nullable=False, unique=True),
)
Index("ix_event_hazard", event.c.hazard_id, event.c.seq)

supervision = Table(
    "supervision",
    metadata,
    Column("hazard_id", String(16), ForeignKey("hazard.id"), primary_key=True),
    Column("supervisor_unit", Text, nullable=False),
    Column("number", Text, nullable=False),
    Column("deadline", Date, nullable=False),
)

# 通报 and 约谈 (第九条) and leads handed to the 纪检监察 body (第十三条), against a unit or a hazard; the id is
# the seq of the event that recorded it
oversight = Table(
    "oversight",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(16), nullable=False),  # notify | interview | handover (vocabulary.RECORD_KINDS)
    Column("unit", Text, nullable=False),
    Column("hazard_id", String(16), ForeignKey("hazard.id")),
    Column("organiser", Text, nullable=False),  # who: 组织通报/约谈的单位, or who hands the lead over
    Column("whom", Text, nullable=False),  # 通报/约谈 对象, or the body it is handed to
    Column("held_on", Date, nullable=False),  # the day of the 通报, 约谈 or 移交
    Column("matter", Text, nullable=False),
    Column("follow_up", Text, nullable=False, default=""),
    Column("recorded_by", Text, nullable=False),
    Column("recorded_at", String(32), nullable=False),
)
Index("ix_oversight_unit", oversight.c.unit)
Index("ix_oversight_hazard", oversight.c.hazard_id)

# Who issues each kind of paper, and the 文号 prefix it numbers them under (e.g. 京广安改 → 京广安改〔2026〕3号)
issuer = Table(
    "issuer",
    metadata,
    Column("kind", String(16), primary_key=True),  # vocabulary.PAPERS
    Column("body", Text, nullable=False),  # the issuing body's name, printed above the seal
    Column("prefix", Text, nullable=False),
)

# Every paper issued, by its 文号: a number is assigned once and never reused; the same paper asked
# for again (its kind and subject) is printed under the number it got
paper = Table(
    "paper",
    metadata,
    Column("number", Text, primary_key=True),  # 文号
    Column("kind", String(16), nullable=False),
    Column("subject", Text, nullable=False),  # what it is about: the audit and unit, the 复查 or 督办 events
    Column("prefix", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("hazards", Text, nullable=False),  # the hazard ids on it, 、-joined
    Column("issued_on", Date, nullable=False),
    Column("issued_by", Text, nullable=False),
    Column("issued_at", String(32), nullable=False),
    UniqueConstraint("kind", "subject", name="uq_paper_kind_subject"),
    UniqueConstraint("prefix", "year", "seq", name="uq_paper_prefix_year_seq"),
)

# 生产经营单位信息台账 with their 分级分类 (第三十二条), by 统一社会信用代码
business = Table(
    "business",
    metadata,
    Column("credit_code", String(18), primary_key=True),
    Column("name", Text, nullable=False),
    Column("industry", Text, nullable=False, default=""),
    Column("grade", Text, nullable=False, default=""),  # 分级分类 level, as the unit's own standard names it
    Column("contact", Text, nullable=False, default=""),
    Column("updated_at", String(32), nullable=False),
)
Index("ix_business_name", business.c.name)

counter = Table(
    "counter",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False),
)

chain_head = Table(
    "chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Each audit imported, by its id (a moved or renamed file is the same audit), with the path it came from last
audit_import = Table(
    "audit_import",
    metadata,
    Column("audit_id", String(64), primary_key=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("date", Date, nullable=False),
    Column("imported_at", String(32), nullable=False),
)

# People who use the web app and the API (`checklist users …`). A unit user sees its unit's hazards only.
app_user = Table(
    "app_user",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # admin | inspector | unit
    Column("unit", Text, nullable=False, default=""),  # for role unit: the unit's name as in the catalogs
    Column("password_hash", Text, nullable=False),  # Argon2id
    Column("token_hash", String(64), unique=True),  # SHA-256 of the API token; the token itself is shown once
    Column("disabled", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

# Web sessions kept on the server: the cookie holds a random id, the table its SHA-256, so a
# session can be ended (logout, a disabled user) and a new id is issued at every login.
app_session = Table(
    "app_session",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(64), ForeignKey("app_user.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("expires_at", String(32), nullable=False),
)
Index("ix_app_session_user", app_session.c.user_name)

# Catalogs made in the web app: a draft per catalog while it is reviewed (the whole draft as JSON,
# changed one change at a time under an optimistic version), and every published version, never
# changed (its YAML as published, so the catalogs folder can always be written again from here).
catalog_draft = Table(
    "catalog_draft",
    metadata,
    Column("catalog_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),  # +1 with every change
    Column("base", Integer),  # the published version it revises; None for a new catalog
    Column("catalog", Text, nullable=False),  # JSON: the catalog as it will be published
    Column("findings", Text, nullable=False),  # JSON: the import's findings, each on its clause, and who reviewed it
    Column("report", Text, nullable=False),  # JSON: the import's layout and lines accounted for
    Column("source", Text, nullable=False),  # JSON: the document's name, format, and lines with their places
    Column("created_by", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

catalog_version = Table(
    "catalog_version",
    metadata,
    Column("catalog_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("doc_no", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False),  # of the YAML file
    Column("yaml", Text, nullable=False),
    Column("source", Text, nullable=False),  # JSON, as the draft's: the next draft shows it beside its clauses
    Column("published_by", Text, nullable=False),
    Column("published_at", String(32), nullable=False),
)

# Failed logins (register/login_limits.py): several server processes share one count
login_attempt = Table(
    "login_attempt",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String(64), nullable=False),  # the client's address, as the server (or a trusted proxy) says
    Column("name_key", String(64), nullable=False),  # SHA-256 of the NFKC-folded name
    Column("at", Float, nullable=False),  # seconds since the epoch
    Index("ix_login_attempt_key", "address", "name_key", "at"),
)
