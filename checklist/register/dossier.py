"""One hazard with everything the register holds on it: its row, 治理方案, 督办 and history
(``queries.show``), the due date as first issued and each 延期 since, the 通报/约谈/线索移交 records
against it or its unit, and the papers issued for it — what `register show` and the hazard's page present. Apart from ``queries`` because
``papers`` and ``records`` read through ``queries`` themselves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from checklist.register import papers, records
from checklist.register.queries import show
from checklist.workdays.calendar import Calendar


def dossier(conn: Connection, hazard_id: str, today: dt.date, calendar: Calendar) -> dict:
    row = papers.facts(conn, show(conn, hazard_id, today, calendar))  # + the due date as issued, each 延期, the papers
    row["records"] = records.for_hazard(conn, row)
    return row
