"""The event log proves the hazard rows: `check-log` replays every hazard and 督办 from its events
and names the hazard and the field a direct change of the database altered; a rewrite of the whole
chain is caught against a head printed on paper (`--anchor`)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from audit_helpers import example_audit
from register_helpers import Register

from checklist.register.tables import chain_head, event, hazard, supervision


@pytest.fixture
def reg(db_url, tmp_path):
    """A register where every kind of move has happened: a 重大 hazard graded, supervised and extended, a
    general one rectified with evidence and passed."""
    r = Register(db_url)
    assert r("import", example_audit(tmp_path)).exit_code == 0
    for args in (
        ("grade", "YH-2026-0001", "--basis", "其他", "--reason", "井盖缺失", "--date", "2026-11-21"),
        ("supervise", "YH-2026-0001", "--supervisor", "局办公室(安监办)", "--deadline", "2026-12-31", "--number", "京广督〔2026〕1号")
        + ("--date", "2026-11-21"),
        ("extend", "YH-2026-0001", "--due", "2026-12-20", "--reason", "需采购井盖", "--by", "局领导", "--date", "2026-11-26"),
        ("rectify", "YH-2026-0002", "--measure", "已补开分析会", "--evidence", tmp_path / "evidence" / "manhole-cover.jpg")
        + ("--date", "2026-12-01"),
        ("verify", "YH-2026-0002", "--pass", "--by", "李四", "--role", "inspector", "--date", "2026-12-03"),
    ):
        done = r(*args)
        assert done.exit_code == 0, done.output
    return r


def head_of(output: str) -> str:
    return re.search(r"链头\S*\s*([0-9a-f]{64})", output).group(1)


def test_the_log_proves_every_row(reg):
    ok = reg("check-log")
    assert ok.exit_code == 0, ok.output
    assert "事件日志完整：7 个事件" in ok.output and "2 条隐患、1 项督办与其事件一致" in ok.output


TAMPERING = {
    "due": (sa.update(hazard).where(hazard.c.id == "YH-2026-0001").values(due=dt.date(2027, 1, 31)), "YH-2026-0001", "due"),
    "level": (sa.update(hazard).where(hazard.c.id == "YH-2026-0001").values(level="一般隐患"), "YH-2026-0001", "level"),
    "measure": (sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(measure="随便写写"), "YH-2026-0002", "measure"),
    "unit": (sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(unit="办公室(安全监管办公室)"), "YH-2026-0002", "unit"),
    "reviewer": (sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(reviewer="王五"), "YH-2026-0002", "reviewer"),
    "closed_on": (sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(closed_on=None), "YH-2026-0002", "closed_on"),
    "supervision": (sa.delete(supervision).where(supervision.c.hazard_id == "YH-2026-0001"), "YH-2026-0001", "督办"),
    "deadline": (
        sa.update(supervision).where(supervision.c.hazard_id == "YH-2026-0001").values(deadline=dt.date(2027, 6, 30)),
        "YH-2026-0001",
        "deadline",
    ),
}


@pytest.mark.parametrize("change", sorted(TAMPERING))
def test_a_row_changed_behind_the_log_is_named_with_its_field(reg, change):
    statement, hid, field = TAMPERING[change]
    with reg.engine().begin() as conn:
        assert conn.execute(statement).rowcount == 1
    broken = reg("check-log")
    assert broken.exit_code == 8, broken.output
    assert hid in broken.output and field in broken.output, broken.output


def test_a_removed_last_event_with_a_patched_head_and_version_is_caught(reg):
    """The extension is taken out of the log, the head set back and the version too; the row keeps
    the later due date, which no event gives any more."""
    with reg.engine().begin() as conn:
        last = conn.execute(sa.select(event).where(event.c.action == "extend")).mappings().one()
        later = conn.execute(sa.select(event).where(event.c.seq > last["seq"]).order_by(event.c.seq)).mappings().all()
        # rebuild the tail without the extension, as someone with database access could
        conn.execute(sa.delete(event).where(event.c.seq >= last["seq"]))
        prev = last["prev_hash"]
        from checklist.register.log import event_hash

        for n, e in enumerate(later):
            row = dict(e, seq=last["seq"] + n, prev_hash=prev)
            row["hash"] = prev = event_hash(row)
            conn.execute(event.insert().values(**row))
        conn.execute(sa.update(chain_head).values(seq=last["seq"] + len(later) - 1, hash=prev))
        conn.execute(sa.update(hazard).where(hazard.c.id == "YH-2026-0001").values(version=hazard.c.version - 1))
    broken = reg("check-log")
    assert broken.exit_code == 8, broken.output
    assert "YH-2026-0001" in broken.output and "due" in broken.output


def rewrite_chain(conn) -> None:
    """Every hash recomputed from the first event: what someone who rewrites the whole log does."""
    from checklist.register.log import GENESIS, event_hash

    prev = GENESIS
    rows = conn.execute(sa.select(event).order_by(event.c.seq)).mappings().all()
    for r in rows:  # new hashes first under a temporary name each, so no unique constraint meets an old one
        conn.execute(sa.update(event).where(event.c.seq == r["seq"]).values(hash=f"x{r['seq']}", prev_hash=f"y{r['seq']}"))
    for r in rows:
        row = dict(r, prev_hash=prev)
        row["hash"] = prev = event_hash(row)
        conn.execute(sa.update(event).where(event.c.seq == r["seq"]).values(hash=row["hash"], prev_hash=row["prev_hash"]))
    conn.execute(sa.update(chain_head).values(seq=len(rows), hash=prev))


def test_an_anchor_catches_a_rewritten_chain(reg):
    printed = head_of(reg("check-log").output)  # the head as the ledger printed it
    assert reg("revoke", "YH-2026-0001", "--reason", "误报", "--approver", "局领导", "--date", "2026-12-05").exit_code == 0
    later = reg("check-log", "--anchor", printed)
    assert later.exit_code == 0, later.output
    assert f"链头校验值 {printed[:16]}" in later.output and "8 个事件中的第 7 个" in later.output
    assert reg("check-log", "--anchor", printed[:16]).exit_code == 0  # a prefix as long as the paper shows it

    # someone with the database rewrites the story of YH-2026-0002 and recomputes every hash
    with reg.engine().begin() as conn:
        first = conn.execute(sa.select(event).where(event.c.hazard_id == "YH-2026-0002", event.c.action == "register")).mappings().one()
        data = json.loads(first["data"])
        data["finding"]["measure"] = "无需整改"
        conn.execute(sa.update(event).where(event.c.seq == first["seq"]).values(data=json.dumps(data, ensure_ascii=False)))
        conn.execute(sa.update(hazard).where(hazard.c.id == "YH-2026-0002").values(measure="无需整改"))
        rewrite_chain(conn)
    assert reg("check-log").exit_code == 0  # consistent inside: only an outside anchor can tell
    caught = reg("check-log", "--anchor", printed)
    assert caught.exit_code == 8, caught.output
    assert f"链头校验值 {printed[:16]}" in caught.output and "不在 8 个事件的链中" in caught.output


def test_an_anchor_must_look_like_a_hash(reg):
    for bad in ("xyz", "0123abc"):
        refused = reg("check-log", "--anchor", bad)
        assert refused.exit_code == 2 and "--anchor" in refused.output and "十六进制数字" in refused.output, refused.output


def test_the_ledger_and_the_dashboard_print_the_head(reg, tmp_path):
    head = head_of(reg("check-log").output)
    ledger = tmp_path / "ledger.html"
    assert reg("ledger", "--format", "html", "-o", ledger).exit_code == 0
    dashboard = tmp_path / "dashboard.html"
    assert reg("dashboard", "--format", "html", "-o", dashboard, "--today", "2026-12-05").exit_code == 0
    for page in (ledger, dashboard):
        text = page.read_text(encoding="utf-8")
        assert head in text and "共 7 条事件" in text, page


def test_the_paper_pdf_carries_the_head(reg, tmp_path):
    from pypdf import PdfReader

    head = head_of(reg("check-log").output)
    out = tmp_path / "ledger.pdf"
    assert reg("ledger", "-o", out).exit_code == 0
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert head in "".join(text.split()) and "共 7 条事件" in text
