"""Audit files of the web app: the same YAML files the CLI writes, in ``<data>/audits/``, with
their photos in ``<data>/audits/evidence/``. Each answer is checked, applied to the file as it is
on disk, checked again as a whole audit, and saved atomically — one writer per file at a time,
and an answer given against a result someone else changed meanwhile is refused, not applied."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from checklist.audits.answering import check_answer
from checklist.audits.audit import Audit, Entry
from checklist.audits.audit_file import load_audit
from checklist.audits.results import Status, status
from checklist.errors import BusyError, ChecklistError, InvalidFileError, IOFailure, Refusal
from checklist.files import atomic
from checklist.files.kinds import KINDS, problems_of
from checklist.files.loader import Document, file_stamp
from checklist.model.catalog import Catalog
from checklist.vocabulary import FAIL, RESULT_NAMES
from checklist.web.photos import StoredPhoto, store

AUDIT_ID = re.compile(r"^[0-9]{8}-[0-9]{3,6}$")


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
        if problems:  # the fields were checked on their way in; what is left is the file as a whole (a photo gone)
            p = problems[0]
            raise AnswerRefused(f"保存被拒绝：检查记录校验未通过（{p.schema_path.rsplit('/', 1)[-1]}），您的答案未保存", status=422)
        try:
            a.save(cat)  # under the audit's lock, and only over the file as it was read (Audit.save)
        except BusyError as e:  # `audit run` holds it, or another program wrote it meanwhile: both kept
            raise AnswerRefused("检查记录正被其他程序编辑或刚被修改，您的答案未保存，请刷新后重试", status=409) from e
        except IOFailure as e:
            raise AnswerRefused(f"保存失败：无法写入检查记录（{e.reason}），请重试", status=503) from e
        except InvalidFileError as e:  # what was written would not load again: the old file was kept
            raise AnswerRefused(f"保存被拒绝：写入后的检查记录无法读回（{e.problems[0].message}），您的答案未保存", status=422) from e
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
                    "catalog_id": a.catalog.get("id", ""),
                    "fails": s.counts[FAIL],
                    "signed": a.signed,
                }
            )
        return rows

    def create(self, form: dict[str, str], inspectors: list[str], facts: tuple[str, bytes] | None = None) -> str:
        """A new audit from the form (catalog, unit or kind, target, date…) — made as `audit new`
        makes it (``audits.creation``): its id. ``facts``: an uploaded facts file (name, bytes),
        kept under its hash so the audit's ``decided_by.source`` names a file that stays."""
        from checklist.audits.creation import AuditRequest, create

        request = AuditRequest(
            catalog=form.get("catalog", ""),
            inspectors=[n for n in (x.strip() for x in inspectors) if n],
            date=form.get("date", ""),
            unit=form.get("unit"),
            kind=form.get("kind"),
            target=form.get("target", ""),
            address=form.get("address", ""),
            title=form.get("title", ""),
        )
        kept, new = self._keep_facts(*facts) if facts else (None, False)
        request.facts = kept
        try:
            a, cat, _ = create(request)
        except BaseException as e:
            if kept is not None and new:  # nothing of a refused audit stays behind
                kept.unlink(missing_ok=True)
            if kept is None or isinstance(e, Refusal) or not isinstance(e, ChecklistError):
                raise
            from checklist.web.words import problems as in_place

            raise AnswerRefused(f"事实声明文件有误：{in_place(e)}", "facts") from e  # the facts file's own problems, each at its place
        with self._guard:
            day = a.date.replace("-", "")
            n = 1 + max((int(p.stem.split("-")[1]) for p in self.folder.glob(f"{day}-*.yaml") if AUDIT_ID.match(p.stem)), default=0)
            audit_id = f"{day}-{n:03d}"
            a.path = self.folder / f"{audit_id}.yaml"
            a.save(cat)
        return audit_id

    def _keep_facts(self, name: str, data: bytes) -> tuple[Path, bool]:
        """The uploaded facts file kept under its hash, and whether this upload wrote it."""
        import hashlib

        suffix = Path(name).suffix.lower()
        if suffix not in (".yaml", ".yml", ".csv", ".xlsx"):
            raise Refusal("audit.facts_file", "facts", suffix=suffix or name)
        kept = self.folder / "facts" / (hashlib.sha256(data).hexdigest() + suffix)
        if kept.exists():
            return kept, False
        atomic.write_bytes(kept, data)
        return kept, True

    def answer(self, audit_id: str, check_id: str, payload: dict) -> tuple[Entry, Status]:
        """Record one answer; ``payload["previous"]`` (the result the page showed) guards against
        overwriting an answer someone else gave meanwhile."""
        with self.lock(audit_id):
            a, cat = self.load(audit_id)
            entry = next((e for e in a.entries if e.id == check_id), None)
            if entry is None:
                raise Refusal("answer.unknown_check", "check", check=check_id)
            a.check_open()
            previous = payload.get("previous") if isinstance(payload, dict) else None
            if previous is not None and previous != entry.result:
                raise Refusal("answer.changed", "result", current=RESULT_NAMES[entry.result], entry=entry_json(entry))
            answer = check_answer(payload, a.date)
            try:
                answer.apply(entry)
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
            a.check_open()
            photo = store(data, self.folder / "evidence")  # decoded only now: the audit and its check exist
            rel = f"evidence/{photo.name}"
            if rel not in entry.evidence:
                try:
                    entry.evidence.append(rel)
                    self.save(audit_id, a, cat)
                except BaseException:
                    self.forget(audit_id)
                    if photo.new:  # the answer was not saved: its photo is not kept either
                        photo.path.unlink(missing_ok=True)
                    raise
            return entry, photo

    def sign(self, audit_id: str, payload: dict) -> dict:
        """One signature (role, name, title, image as a PNG data URL, signed_at from the device)."""
        from checklist.audits.signing import add_signature, signed_at
        from checklist.web.signatures import keep, png_of

        png = png_of(payload.get("image"))
        with self.lock(audit_id):
            a, cat = self.load(audit_id)
            name, sha = keep(png, self.folder / "evidence")
            try:
                signer = add_signature(
                    a,
                    role=payload.get("role"),
                    name=payload.get("name"),
                    title=payload.get("title"),
                    image=f"evidence/{name}",
                    sha256=sha,
                    at=signed_at(payload.get("signed_at"), a.date),
                )
                self.save(audit_id, a, cat)
            except BaseException:
                self.forget(audit_id)
                raise
            return signer

    def evidence_file(self, audit_id: str, name: str) -> Path:
        """A photo or signature of this audit — only one its own entries or signatures name."""
        a, _ = self.load(audit_id)
        rel = f"evidence/{name}"
        if not any(rel in e.evidence for e in a.entries) and not any(s["image"] == rel for s in a.signatures):
            raise AnswerRefused("未找到该照片", status=404)
        return self.folder / rel


def entry_json(e: Entry) -> dict:
    d = e.as_dict()
    d["result_name"] = e.result_name
    return d
