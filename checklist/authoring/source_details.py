"""A policy text's own details, read from the lines outside its clauses: the title of the notice
that issues it, its document number (文号), its date and the issuers signed above the date."""

from __future__ import annotations

import datetime as dt
import re

TODO = "待填写"  # prefix of every placeholder a reviewer must replace
SOURCE_FIELDS = {"doc_no": "文号", "issuer": "发文机关", "issued": "日期"}

_DOC_NO = re.compile(r"^[\u4e00-\u9fff]{1,16}〔\d{4}〕\d+号$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NOTICE = re.compile(r"^.*?关于印发《?(.+?)》?的通知$")
_ORG = re.compile(r"^[\u4e00-\u9fff、]{2,40}(?:局|委员会|办公室|政府|管理委员会|厅|部|院|中心|会)$")


def source_details(lines: list[tuple[int, str]], unplaced: set[int]) -> tuple[str, dict, set[int]]:
    """Title, source details and the lines they came from. Only lines outside every clause are
    read: a notice's title line (关于印发《…》的通知), its number line, its date line and the
    signature above it. What the text does not print is left out (and listed for the reviewer)."""
    found: dict[str, str] = {}
    used: set[int] = set()
    for i, (number, line) in enumerate(lines):
        if number not in unplaced:
            continue
        squeezed = "".join(line.split())
        if "title" not in found and (m := _NOTICE.match(squeezed)):
            found["title"] = m[1]
            used.add(number)
        elif "doc_no" not in found and _DOC_NO.match(squeezed):
            found["doc_no"] = squeezed
            used.add(number)
        elif "issued" not in found and (m := _DATE.match(squeezed)) and (day := _date(*m.groups())):
            found["issued"] = day
            used.add(number)
            signers: list[str] = []
            for before, name in reversed(lines[:i]):
                if before not in unplaced or not _ORG.match("".join(name.split())):
                    break
                signers.insert(0, name)
                used.add(before)
            if signers:
                found["issuer"] = "、".join(signers)
    source = {key: found[key] for key in SOURCE_FIELDS if key in found}
    return found.get("title", f"{TODO}：文件标题"), source, used


def _date(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
