"""Outputs that stay readable: `users list` columns line up with Chinese names, and a long
`register import` is summarised."""

from __future__ import annotations

from checklist.cli.users import width
from checklist.outputs.register_views import summary


def test_users_list_lines_up_chinese_names(run, tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for name, role, unit in (("张三", "inspector", None), ("administrator", "admin", None), ("王五", "unit", "科技处(公共服务处)")):
        args = ["users", "add", name, "--role", role, "--password-stdin", "--db", db] + (["--unit", unit] if unit else [])
        r = run(*args, input="correct-horse-42\n")
        assert r.exit_code == 0, r.output
    r = run("users", "list", "--db", db)
    out = r.stdout
    lines = out.splitlines()
    assert r.exit_code == 0 and len(lines) == 3
    starts = {line.split()[1]: width(line[: line.index(line.split()[1], len(line.split()[0]))]) for line in lines}
    assert len(set(starts.values())) == 1, out  # the role column starts at one display column on every line
    status = [width(line[: line.rindex(" ") + 1]) for line in lines]
    assert len(set(status)) == 1, out


def test_a_long_import_is_summarised():
    ids = [f"YH-2026-{n:04d}" for n in range(1, 50_001)]
    assert summary(ids) == "50,000 条隐患：YH-2026-0001 … YH-2026-50000"
    assert summary(ids[:2]) == "YH-2026-0001, YH-2026-0002"
