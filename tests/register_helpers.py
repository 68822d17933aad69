"""Helpers for the register's tests: a CLI runner bound to one database, and the example audit's
治理方案 (the fixtures `reg` and `imported` in conftest.py use them)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from checklist.cli import cli


class Register:
    """``checklist register …`` on one database, as a user named 张三 (admin) unless told."""

    def __init__(self, url: str):
        self.url = url

    def __call__(self, *args, env: dict | None = None):
        env = {"CHECKLIST_USER": "张三", "CHECKLIST_ROLE": "admin", "CHECKLIST_DB": None} | (env or {})
        return CliRunner(env=env).invoke(cli, ["register", *map(str, args), "--db", self.url], catch_exceptions=False)

    def engine(self):
        from checklist.register.db import open_register

        return open_register(self.url)


def add_plan(audit: Path, basis: bool = True) -> None:
    """Give the example's 重大事故隐患 its grading's basis (unless ``basis`` is False: as audits were
    written before findings had one), its six-part 治理方案 and a place, as an inspector would."""
    text = audit.read_text(encoding="utf-8")
    old = "      owner: 科技处 王五\n"
    grading = "      basis: 其他\n      basis_reason: 井盖缺失且未设围挡，行人车辆随时可能坠落\n" if basis else ""
    plan = grading + (
        "      place: 东城区某路口有线电视窨井\n"
        "      interim_measures: 设置围挡和警示标志，专人看守\n"
        "      plan:\n"
        "        goal: 补装井盖，消除坠落隐患\n"
        "        method: 督促歌华有线补装井盖并专项排查\n"
        "        funds: 歌华有线维护经费\n"
        "        team: 科技处 王五 牵头，歌华有线配合\n"
        "        schedule: 2026年11月27日前完成\n"
        "        safety: 围挡、警示标志和夜间照明；发生坠落立即启动应急预案\n"
    )
    assert old in text
    audit.write_text(text.replace(old, old + plan, 1), encoding="utf-8")


ISSUER = "北京市广播电视局"
PREFIXES = {"notice": "京广安改", "opinion": "京广安复", "supervision": "京广安督", "signoff": "京广安销"}


def set_issuers(reg: Register) -> None:
    """Every paper issued by 北京市广播电视局, each under its own 文号 prefix (PREFIXES)."""
    for kind, prefix in PREFIXES.items():
        done = reg("issuer", "set", kind, "--body", ISSUER, "--prefix", prefix)
        assert done.exit_code == 0, done.output
