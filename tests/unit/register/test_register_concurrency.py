"""Many users at once: two writers acting on the same hazard at the same moment — exactly one
wins, the other is told who changed it, nothing is lost; ids and the log chain stay whole."""

from __future__ import annotations

import threading

import pytest

from checklist.errors import ConcurrentChangeError
from checklist.register.db import reading
from checklist.register.hazards import Request, get, move
from checklist.register.log import check_log, history


@pytest.fixture
def engine(reg, imported):
    return reg.engine()


def race(engine, requests, version):
    """Run the moves in threads released together; each thread's outcome (row or error)."""
    barrier = threading.Barrier(len(requests))
    outcomes: list = [None] * len(requests)

    def worker(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = move(engine, "YH-2026-0002", requests[i], expected_version=version)
        except ConcurrentChangeError as e:
            outcomes[i] = e

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_two_writers_one_wins_the_other_is_told(engine, attempt):
    with reading(engine) as conn:
        version = get(conn, "YH-2026-0002")["version"]  # both people looked at version 1
    outcomes = race(
        engine,
        [
            Request("rectify", "赵六", "unit", measure="赵六: 已补开分析会"),
            Request("extend", "钱七", "admin", due=get_due(engine), reason="r"),
        ],
        version,
    )
    winners = [o for o in outcomes if isinstance(o, dict)]
    losers = [o for o in outcomes if isinstance(o, ConcurrentChangeError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    winner_name = "赵六" if winners[0]["status"] == "待复查" else "钱七"
    assert f"已被他人修改：{winner_name}" in losers[0].message and "您读取的是版本 1" in losers[0].message
    with reading(engine) as conn:
        row = get(conn, "YH-2026-0002")
        events = history(conn, "YH-2026-0002")
        assert check_log(conn).intact
    assert row["version"] == 2 and [e["by"] for e in events] == ["张三", winner_name]  # the winner's move, whole


def get_due(engine):
    import datetime as dt

    with reading(engine) as conn:
        return get(conn, "YH-2026-0002")["due"] + dt.timedelta(days=30)


def test_many_writers_on_different_hazards_keep_the_chain(engine):
    """Writers on different hazards all succeed, one after another: the chain never forks."""
    reqs = [("YH-2026-0002", Request("rectify", "赵六", "unit", measure="m"))]
    reqs += [("YH-2026-0001", Request("grade", "局办", "admin", basis="其他", basis_reason="井盖缺失"))]
    barrier = threading.Barrier(len(reqs))
    errors: list = []

    def worker(hid, req):
        barrier.wait()
        try:
            move(engine, hid, req)
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=worker, args=r) for r in reqs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with reading(engine) as conn:
        result = check_log(conn)
    assert result.intact and result.events == 4


def test_a_stale_version_from_the_cli_is_exit_6(reg, imported):
    assert reg("rectify", "YH-2026-0002", "--measure", "m", "--by", "赵六").exit_code == 0
    stale = reg("verify", "YH-2026-0002", "--pass", "--expect-version", "1", "--by", "李四")
    assert stale.exit_code == 6 and "赵六（整改完成" in stale.output and "未写入任何内容" in stale.output
