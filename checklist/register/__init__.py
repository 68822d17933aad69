"""The hazard register (隐患排查治理信息系统): every finding of an audit tracked from 排查 to 销号.

Holds the database (SQLAlchemy Core tables, engine, Alembic migrations), the lifecycle table,
the hash-chained event log, import from audits, queries, statistics and export/restore. May
import the domain rooms below it (audits, workdays, model, files); never outputs or the CLI.
SQLAlchemy is imported only here, and only by commands that use the register.
"""
