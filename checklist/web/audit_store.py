"""Audit files of the web app: the same YAML files the CLI writes, in ``<data>/audits/``, with
their photos in ``<data>/audits/evidence/``. Each answer is checked, applied to the file as it is
on disk, checked again as a whole audit, and saved atomically — one writer per file at a time,
and an answer given against a result someone else changed meanwhile is refused, not applied."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checklist.audits import audit as audits
from checklist.audits.audit import FAIL, HAZARD_WORDS, NA, PASS, PLAN_PARTS, RESULT_NAMES, UNCHECKED, Audit, Entry, Finding
from checklist.audits.audit_file import load_audit
from checklist.audits.results import Status, status
from checklist.errors import BusyError, ChecklistError, IOFailure
from checklist.files import atomic
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import Document, file_stamp
from checklist.model.catalog import Catalog, nfkc
from checklist.model.library import load_catalog
from checklist.web.photos import StoredPhoto, store

AUDIT_ID = re.compile(r"^[0-9]{8}-[0-9]{3,6}$")
RESULTS = {PASS, FAIL, NA, UNCHECKED}
MAX_TEXT = 2000


class AnswerRefused(ValueError):
    """An answer that cannot be taken: a Chinese message, the field at fault, and the HTTP status."""

    def __init__(self, message: str, field: str | None = None, status: int = 400, current: dict | None = None):
        super().__init__(message)
        self.message, self.field, self.status, self.current = message, field, status, current


@dataclass
class Store:
    folder: Path  # <data>/audits
    _locks: defaultdict[str, threading.Lock] = field(default_factory=lambda: defaultdict(threading.Lock))
    _cache: dict[str, tuple[tuple, Audit, Catalog | None]] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def path(self, audit_id: str) -> Path:
        if not AUDIT_ID.match(audit_id):
            raise AnswerRefused("检查记录编号无效", status=404)
        p = self.folder / f"{audit_id}.yaml"
        if not p.is_file():
            raise AnswerRefused("未找到该检查记录", status=404)
        return p

    def lock(self, audit_id: str) -> threading.Lock:
        with self._guard:
            return self._locks[audit_id]

    def load(self, audit_id: str) -> tuple[Audit, Catalog | None]:
        """The audit as it is on disk now (parsed once per file version)."""
        p = self.path(audit_id)
        stamp = file_stamp(p)
        hit = self._cache.get(audit_id)
        if hit and hit[0] == stamp:
            return hit[1], hit[2]
        a, cat, _ = load_audit(p)
        self._cache[audit_id] = (stamp, a, cat)
        return a, cat

    def save(self, audit_id: str, a: Audit, cat: Catalog | None) -> None:
        """Check the whole audit as `checklist validate` would (schema and cross-checks, on the
        data the file will hold), then save it atomically."""
        assert a.path is not None
        problems = problems_of(Document(str(a.path), a.as_data(), "", ""), KINDS["audit"])
        if problems:
            raise AnswerRefused("保存被拒绝：检查记录校验未通过（" + problems[0].message + "）", status=422)
        try:
            a.save(cat)  # under the audit's lock, and only over the file as it was read (Audit.save)
        except BusyError as e:  # `audit run` holds it, or another program wrote it meanwhile: both kept
            raise AnswerRefused("检查记录正被其他程序编辑或刚被修改，您的答案未保存，请刷新后重试", status=409) from e
        except IOFailure as e:
            raise AnswerRefused(f"保存失败：无法写入检查记录（{e.reason}），请重试", status=503) from e
        self._cache[audit_id] = (file_stamp(a.path), a, cat)

    def forget(self, audit_id: str) -> None:
        """Drop the parsed copy: an answer that was refused must not linger in memory."""
        self._cache.pop(audit_id, None)

    def summaries(self) -> list[dict]:
        rows = []
        for p in sorted(self.folder.glob("*.yaml"), reverse=True):
            if not AUDIT_ID.match(p.stem):
                continue
            try:
                a, _ = self.load(p.stem)
            except (ChecklistError, AnswerRefused):
                continue
            s = status(a.entries)
            rows.append(
                {
                    "id": p.stem,
                    "target": a.target.get("name", ""),
                    "date": a.date,
                    "answered": s.answered,
                    "total": s.total,
                    "catalog": a.catalog.get("title", ""),
                    "fails": s.counts[FAIL],
                }
            )
        return rows

    def create(self, form: dict[str, str], inspectors: list[str], facts: tuple[str, bytes] | None = None) -> str:
        """A new audit from the form (catalog, unit or kind, target, date): its id. ``facts``: a
        facts file (name, bytes) whose declarations answer the checks their rules decide."""
        cat_id = form.get("catalog", "")
        try:
            cat = load_catalog(cat_id)
        except ChecklistError as e:
            raise AnswerRefused("请选择检查依据（目录）", "catalog") from e
        unit, kind = form.get("unit", "").strip() or None, form.get("kind", "").strip() or None
        if (unit is None) == (kind is None):
            raise AnswerRefused("请填写被检查单位（职责）或服务机构类型，二者选一", "unit")
        try:
            if unit:
                cat.find_unit(unit)
            if kind:
                cat.find_kind(kind)
        except ChecklistError as e:
            raise AnswerRefused(f"目录中没有“{unit or kind}”", "unit" if unit else "kind") from e
        declaration = self._declaration(cat, facts, form.get("target", "").strip()) if facts else None
        target = form.get("target", "").strip() or (declaration.target.get("name", "") if declaration else "")
        if not target:
            raise AnswerRefused("请填写被检查对象名称", "target")
        names = [n for n in (x.strip() for x in inspectors) if n]
        if not names:
            raise AnswerRefused("请至少填写一名检查人员", "inspectors")
        try:
            day = dt.date.fromisoformat(form.get("date", ""))
        except ValueError as e:
            raise AnswerRefused("检查日期格式应为 YYYY-MM-DD", "date") from e
        try:
            a = audits.new(
                cat,
                unit=unit,
                kind=kind,
                tags=[],
                chapters=[],
                target={"name": target, "address": form.get("address", "").strip()},
                inspectors=names,
                date=day,
                title=form.get("title", "").strip(),
                declaration=declaration,
            )
        except ChecklistError as e:
            raise AnswerRefused("无法生成检查记录：所选单位或类型没有适用的检查项", "unit") from e
        with self._guard:
            n = 1 + max((int(p.stem.split("-")[1]) for p in self.folder.glob(f"{day:%Y%m%d}-*.yaml") if AUDIT_ID.match(p.stem)), default=0)
            audit_id = f"{day:%Y%m%d}-{n:03d}"
            a.path = self.folder / f"{audit_id}.yaml"
            a.save(cat)
        return audit_id

    def _declaration(self, cat: Catalog, facts: tuple[str, bytes], target: str) -> Any:
        """The declaration of a facts file (YAML, CSV or XLSX), kept in ``facts/`` under its hash so
        the audit's ``decided_by.source`` names a file that stays."""
        import hashlib

        from checklist.model.facts import load as load_facts

        name, data = facts
        suffix = Path(name).suffix.lower()
        if suffix not in (".yaml", ".yml", ".csv", ".xlsx"):
            raise AnswerRefused("事实声明文件应为 .yaml、.csv 或 .xlsx", "facts")
        kept = self.folder / "facts" / (hashlib.sha256(data).hexdigest() + suffix)
        if not kept.exists():
            atomic.write_bytes(kept, data)
        try:
            rows = load_facts(kept, cat)
        except ChecklistError as e:
            raise AnswerRefused(f"事实声明文件有误：{e}", "facts") from e
        if len(rows) > 1:
            rows = [d for d in rows if nfkc(d.target.get("name", "")) == nfkc(target)]
        if len(rows) != 1:
            raise AnswerRefused("事实声明表中有多个对象：请填写被检查对象名称，与表中名称一致", "target")
        return rows[0]

    def answer(self, audit_id: str, check_id: str, payload: dict) -> tuple[Entry, Status]:
        """Record one answer; ``payload["previous"]`` (the result the page showed) guards against
        overwriting an answer someone else gave meanwhile."""
        with self.lock(audit_id):
            a, cat = self.load(audit_id)
            entry = next((e for e in a.entries if e.id == check_id), None)
            if entry is None:
                raise AnswerRefused("该检查记录中没有此检查项", "check", 404)
            previous = payload.get("previous")
            if previous is not None and previous != entry.result:
                raise AnswerRefused(
                    f"此项刚被他人改为“{RESULT_NAMES[entry.result]}”，请刷新后再改", "result", 409, current=entry_json(entry)
                )
            result, note, reason, finding = parse_answer(payload, a.date)
            try:
                entry.answer(result, note=note, reason=reason, finding=finding)
                entry.note = note  # the form sends the whole note: clearing it is an answer too
                self.save(audit_id, a, cat)
            except BaseException:
                self.forget(audit_id)
                raise
            return entry, status(a.entries)

    def add_photo(self, audit_id: str, check_id: str, data: bytes) -> tuple[Entry, StoredPhoto]:
        with self.lock(audit_id):
            a, cat = self.load(audit_id)
            entry = next((e for e in a.entries if e.id == check_id), None)
            if entry is None:
                raise AnswerRefused("该检查记录中没有此检查项", "check", 404)
            photo = store(data, self.folder / "evidence")
            rel = f"evidence/{photo.name}"
            if rel not in entry.evidence:
                try:
                    entry.evidence.append(rel)
                    self.save(audit_id, a, cat)
                except BaseException:
                    self.forget(audit_id)
                    raise
            return entry, photo

    def evidence_file(self, audit_id: str, name: str) -> Path:
        """A photo of this audit — only one its own entries name."""
        a, _ = self.load(audit_id)
        rel = f"evidence/{name}"
        if not any(rel in e.evidence for e in a.entries):
            raise AnswerRefused("未找到该照片", status=404)
        return self.folder / rel


def _text(payload: dict, key: str, title: str, required: bool = False) -> str:
    value = payload.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerRefused(f"{title}应为文字", key)
    value = value.strip()
    if required and not value:
        raise AnswerRefused(f"请填写{title}", key)
    if len(value) > MAX_TEXT:
        raise AnswerRefused(f"{title}过长（上限 {MAX_TEXT} 字）", key)
    return value


def parse_answer(payload: Any, audit_date: str) -> tuple[str, str, str, Finding | None]:
    """(result, note, reason, finding) from a JSON answer, or AnswerRefused naming the field."""
    if not isinstance(payload, dict):
        raise AnswerRefused("请求内容应为 JSON 对象")
    result = payload.get("result")
    if result not in RESULTS:
        raise AnswerRefused("检查结果应为 符合 / 不符合 / 不适用 / 未检查 之一", "result")
    note = _text(payload, "note", "备注")
    reason = _text(payload, "reason", "不适用理由", required=result == NA)
    finding = None
    if result == FAIL:
        f = payload.get("finding")
        if not isinstance(f, dict):
            raise AnswerRefused("不符合项须填写隐患信息", "finding")
        level = HAZARD_WORDS.get(nfkc(str(f.get("hazard", ""))))
        if level is None:
            raise AnswerRefused("隐患等级应为 一般隐患 或 重大事故隐患", "finding.hazard")
        measure = _text(f, "measure", "整改措施", required=True)
        owner = _text(f, "owner", "整改责任人", required=True)
        try:
            due = dt.date.fromisoformat(str(f.get("due", "")))
        except ValueError as e:
            raise AnswerRefused("整改期限格式应为 YYYY-MM-DD", "finding.due") from e
        if due < dt.date.fromisoformat(audit_date):
            raise AnswerRefused(f"整改期限不能早于检查日期 {audit_date}", "finding.due")
        plan_in = f["plan"] if isinstance(f.get("plan"), dict) else {}
        plan = {k: _text(plan_in, k, v) for k, v in PLAN_PARTS.items()}
        finding = Finding(
            level,
            measure,
            owner,
            due.isoformat(),
            None,
            _text(f, "place", "隐患部位"),
            _text(f, "interim_measures", "临时安全措施"),
            {k: v for k, v in plan.items() if v} or None,
        )
    return result, note, reason, finding


def entry_json(e: Entry) -> dict:
    d = e.as_dict()
    d["result_name"] = e.result_name
    return d
