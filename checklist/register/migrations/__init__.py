"""Alembic migrations of the register, run programmatically (``checklist register upgrade``)."""
