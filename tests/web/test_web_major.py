"""A 重大事故隐患 closed through the web app and its JSON API, on SQLite and PostgreSQL: the unit
fills in the six-part 治理方案 on the hazard's page and asks for a 延期 that only an inspector or
admin may grant; 挂牌督办, 治理评估 (the report uploaded), 督办销号 and the 复查 in their order,
each shortcut refused in Chinese with its HTTP status; every paper issued under its 文号 and
downloaded as PDF and DOCX with a Chinese file name; 通报, 约谈 and 线索移交 recorded; the audit
page's answer asks for the 隐患描述."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import pytest
from audit_helpers import example_audit
from extras import pdfplumber
from register_helpers import ISSUER, Register, set_issuers
from web_helpers import PASSWORD, TECH, client_as, csrf_of

HID, GID = "YH-2026-0001", "YH-2026-0002"
PLAN = {
    "plan_goal": "补装井盖，消除坠落隐患",
    "plan_method": "督促歌华有线补装井盖并专项排查",
    "plan_funds": "歌华有线维护经费",
    "plan_team": "科技处 王五 牵头",
    "plan_schedule": "12月20日前完成",
    "plan_safety": "围挡、警示标志和夜间照明",
    "plan_author": "科技处处长 周八",
}


class Day:
    """The app's today, moved on as the story goes."""

    def __init__(self) -> None:
        self.value = dt.date(2026, 11, 21)

    def __call__(self) -> dt.date:
        return self.value


@pytest.fixture
def site(db_url, tmp_path):
    from types import SimpleNamespace

    from checklist.register.db import open_register
    from checklist.register.importer import import_audits
    from checklist.register.users import add_user, new_token
    from checklist.web.app import Settings, create_app

    engine = open_register(db_url)
    for name, role, unit in (("张三", "inspector", None), ("李四", "inspector", None), ("王五", "unit", TECH), ("管理员", "admin", None)):
        add_user(engine, name, role, unit, PASSWORD)
    day = Day()
    settings = Settings(engine=engine, data=tmp_path / "data", files=tmp_path / "files", today=day, pdf_workers=0)
    (settings.data / "audits").mkdir(parents=True)
    app = create_app(settings)
    import_audits(engine, [str(example_audit(tmp_path / "examples"))], by="张三", role="inspector", files_dir=settings.files)
    set_issuers(Register(db_url))
    tokens = {name: new_token(engine, name) for name in ("张三", "李四", "王五", "管理员")}
    return SimpleNamespace(app=app, day=day, db_url=db_url, tokens=tokens, engine=engine, files=settings.files)


def api(site, name: str, method: str, path: str, **kwargs):
    client = site.app.test_client()
    return getattr(client, method)(path, headers={"Authorization": f"Bearer {site.tokens[name]}"}, **kwargs)


def move(site, name: str, hid: str, action: str, **fields):
    version = api(site, name, "get", f"/api/hazards/{hid}").json["version"]
    return api(site, name, "post", f"/api/hazards/{hid}/moves", json={"action": action, "version": version, **fields})


def refused(response, status: int, message: str, code: str) -> None:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code and message in response.json["error"]["message"], response.json


def done(response) -> dict:
    assert response.status_code == 200, response.json
    return response.json


@pytest.mark.slow  # the whole loop with papers rendered, on each backend
def test_a_major_hazard_closed_through_the_pages_and_the_api(site, tmp_path):
    # the unit cannot start without its plan: the page says why and offers the plan form instead
    unit = client_as(site, "王五")
    page = unit.get(f"/hazards/{HID}").text
    assert "治理方案·目标和任务" in page and "方案制定人（本单位主要负责人）" in page
    assert "开始整改：重大事故隐患须先填全治理方案才能办理此项" in page
    refused(move(site, "王五", HID, "start"), 409, "重大事故隐患须先填全治理方案", "move.plan")
    version = api(site, "王五", "get", f"/api/hazards/{HID}").json["version"]
    form = {"action": "plan", "version": str(version), "csrf_token": csrf_of(unit)} | PLAN
    half = unit.post(f"/hazards/{HID}/moves", data=form | {"plan_author": ""})
    assert half.status_code == 400 and "请填写方案制定人（主要负责人）" in half.text
    assert unit.post(f"/hazards/{HID}/moves", data=form).status_code == 302
    assert api(site, "王五", "get", f"/api/hazards/{HID}").json["plan_author"] == "科技处处长 周八"
    assert "补装井盖，消除坠落隐患" in unit.get(f"/hazards/{HID}").text  # shown in full, and prefilled for changes

    # 定级依据, then 挂牌督办 (admin only)
    refused(
        move(site, "管理员", HID, "supervise", supervisor_unit="局办公室", deadline="2026-12-10", number="1"), 409, "定级依据", "move.basis"
    )
    refused(move(site, "张三", HID, "grade", basis="其他"), 400, "请填写定级理由", "move.needs")
    done(move(site, "张三", HID, "grade", basis="其他", basis_reason="井盖缺失且未设围挡"))
    refused(
        move(site, "张三", HID, "supervise", supervisor_unit="局办公室", deadline="2026-12-10", number="1"),
        403,
        "须由管理员办理",
        "move.role",
    )
    done(move(site, "管理员", HID, "supervise", supervisor_unit="局办公室(安监办)", deadline="2026-12-10", number="京广督〔2026〕1号"))

    # 延期: the unit asks; it cannot grant; past the 督办期限 only with the supervising unit's consent
    site.day.value = dt.date(2026, 11, 23)
    assert "批准人" not in unit.get(f"/hazards/{HID}").text  # the unit's form has no approver to type
    done(move(site, "王五", HID, "request-extension", due="2026-12-20", reason="井盖需定制"))
    assert api(site, "王五", "get", f"/api/hazards/{HID}").json["due"] == "2026-11-27"  # until decided, the due date stands
    refused(move(site, "王五", HID, "approve-extension"), 403, "须由管理员或检查员办理", "move.role")
    refused(move(site, "王五", HID, "extend", due="2026-12-20", reason="自己批"), 403, "须由管理员或检查员办理", "move.role")
    refused(move(site, "李四", HID, "approve-extension"), 409, "超过督办期限 2026-12-10", "move.past_deadline")
    granted = done(move(site, "李四", HID, "approve-extension", supervisor_consent="局办公室同意延期"))
    assert granted["due"] == "2026-12-20" and granted["history"][-1]["data"]["approver"] == "李四"

    # 整改, 治理评估 with its report, 督办销号, the 复查 — in that order
    site.day.value = dt.date(2026, 12, 15)
    done(move(site, "王五", HID, "start"))
    done(move(site, "王五", HID, "rectify", measure="井盖已补装"))
    refused(move(site, "李四", HID, "pass"), 409, "销号前须录入治理评估", "move.assessment")
    version = api(site, "王五", "get", f"/api/hazards/{HID}").json["version"]
    assess = {"action": "assess", "version": str(version), "assessor": "市政设施检测中心", "conclusion": "隐患已消除"}
    wrong = api(site, "王五", "post", f"/api/hazards/{HID}/moves", data=assess | {"attachment": (io.BytesIO(b"just text"), "a.txt")})
    refused(wrong, 400, "评估报告应为 PDF、JPEG 或 PNG 文件", "move.attachment")
    report = (io.BytesIO(b"%PDF-1.4\n% report\n"), "评估报告.pdf")
    done(api(site, "王五", "post", f"/api/hazards/{HID}/moves", data=assess | {"attachment": report}))
    refused(move(site, "李四", HID, "pass"), 409, "须先经督办单位督办销号", "move.signoff")
    site.day.value = dt.date(2026, 12, 16)
    done(move(site, "管理员", HID, "signoff", opinion="同意督办销号"))
    closed = done(move(site, "李四", HID, "pass", reason="现场复查合格"))
    assert closed["status"] == "已销号" and closed["assessment_file"] == "评估报告.pdf" and closed["signoff_by"] == "管理员"

    # every paper under its 文号: issued by an inspector (not the unit), downloaded as PDF and DOCX
    assert api(site, "王五", "post", f"/api/hazards/{HID}/papers/notice").status_code == 403
    numbers = {}
    for kind in ("notice", "supervision", "signoff", "opinion"):
        r = api(site, "张三", "post", f"/api/hazards/{HID}/papers/{kind}")
        assert r.status_code == 200, r.json
        numbers[kind] = r.json["number"]
        assert r.json["body"] == ISSUER and r.json["issued_on"] == "2026-12-16"
    assert numbers == {
        "notice": "京广安改〔2026〕1号",
        "supervision": "京广安督〔2026〕1号",
        "signoff": "京广安销〔2026〕1号",
        "opinion": "京广安复〔2026〕1号",
    }
    assert api(site, "李四", "post", f"/api/hazards/{HID}/papers/notice").json["number"] == numbers["notice"]  # issued once
    titles = {
        "notice": "隐患整改通知书",
        "supervision": "重大事故隐患督办通知书",
        "signoff": "重大事故隐患督办销号通知书",
        "opinion": "整改复查意见书",
    }
    for kind, number in numbers.items():
        for fmt in ("pdf", "docx"):
            r = unit.get(f"/hazards/{HID}/papers/{kind}.{fmt}")
            assert r.status_code == 200, (kind, fmt)
            name = unquote(r.headers["Content-Disposition"].split("''", 1)[1])
            assert name.startswith(f"{titles[kind]}-{number}-") and name.endswith(f".{fmt}")
            path = tmp_path / f"{kind}.{fmt}"
            path.write_bytes(r.data)
            text = pdf_text(path) if fmt == "pdf" else docx_text(path)
            assert number in text and "科技处(公共服务处)" in text and "2026-11-27" in text and "2026-12-20" in text, (kind, fmt)
    page = unit.get(f"/hazards/{HID}").text
    assert all(n in page for n in numbers.values()) and "签发并编号" not in page  # a unit does not issue
    assert Register(site.db_url)("check-log").exit_code == 0


def pdf_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join("".join((p.extract_text() or "").split()) for p in pdf.pages)


def docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    return "".join(
        "".join(t.split()) for t in [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


def test_the_rectifier_cannot_review_its_own_rectification(site):
    done(move(site, "管理员", GID, "rectify", measure="已补开分析会"))
    refused(move(site, "管理员", GID, "pass"), 403, "管理员报告了整改完成，不能复查本人的整改", "move.own_rectification")
    admin = client_as(site, "管理员")
    page = admin.get(f"/hazards/{GID}").text
    assert "复查通过：管理员报告了整改完成" in page and 'value="pass"' not in page
    assert done(move(site, "李四", GID, "pass"))["status"] == "已销号"


def test_an_extension_refused_keeps_the_due_date(site):
    done(move(site, "王五", GID, "request-extension", due="2026-12-31", reason="人手不足"))
    inspector = client_as(site, "李四")
    page = inspector.get(f"/hazards/{GID}").text
    assert "申请延期" in page and "待检查员或管理员批准" in page and "不予延期理由" in page
    refused(move(site, "李四", GID, "refuse-extension"), 400, "请填写理由", "move.needs")
    row = done(move(site, "李四", GID, "refuse-extension", reason="理由不充分"))
    assert row["due"] == "2026-12-15" and row["ext_due"] is None


def test_records_through_the_page_and_the_api(site):
    inspector = client_as(site, "张三")
    form = {"kind": "interview", "scope": "hazard", "organiser": "局安全生产工作领导小组", "whom": "科技处处长 周八"}
    r = inspector.post(
        f"/hazards/{HID}/records", data=form | {"matter": "约谈整改进度", "held_on": "2026-11-21", "csrf_token": csrf_of(inspector)}
    )
    assert r.status_code == 302
    body = {"kind": "notify", "unit": "科技处", "organiser": "局安全生产工作领导小组", "whom": "科技处", "matter": "整改不到位"}
    made = api(site, "张三", "post", "/api/records", json=body)
    assert made.status_code == 201 and made.json["unit"] == "科技处(公共服务处)" and made.json["hazard_id"] is None
    bad = api(site, "张三", "post", "/api/records", json=body | {"kind": "handover", "whom": "局长"})
    refused(bad, 400, "对象应为 局机关纪委、驻局纪检组 之一", "value.choice")
    assert api(site, "王五", "post", "/api/records", json=body).status_code == 403
    done_lead = api(site, "张三", "post", "/api/records", json=body | {"kind": "handover", "whom": "驻局纪检组", "hazard": HID})
    assert done_lead.status_code == 201 and done_lead.json["hazard_id"] == HID
    page = client_as(site, "王五").get(f"/hazards/{HID}").text  # the unit sees what concerns it
    assert "约谈" in page and "约谈整改进度" in page and "（针对科技处(公共服务处)）" in page and "线索移交" in page
    assert "记录通报、约谈或线索移交" not in page  # but records none
    assert Register(site.db_url)("check-log").exit_code == 0


def test_the_audit_page_asks_for_the_hazard_description(site):
    inspector = client_as(site, "张三")
    store = site.app.extensions["audit_store"]
    audit = store.create({"catalog": "bj-rtv-3g3b", "unit": "科技处", "target": "科技处", "date": "2026-11-21"}, ["张三"])
    check = store.load(audit)[0].entries[0].id
    assert "隐患描述 *" in inspector.get(f"/audits/{audit}").text
    url, headers = f"/api/audits/{audit}/checks/{check}", {"X-CSRF-Token": csrf_of(inspector)}
    finding = {"hazard": "重大事故隐患", "measure": "停用", "owner": "王五", "due": "2026-12-01"}
    r = inspector.put(url, json={"result": "fail", "finding": finding}, headers=headers)
    assert r.status_code == 400 and r.json["error"] == {
        "message": "请填写隐患描述",
        "field": "finding.description",
        "code": "value.required",
    }
    r = inspector.put(
        url, json={"result": "fail", "finding": finding | {"description": "配电箱带电部位裸露", "basis": "其他"}}, headers=headers
    )
    assert r.status_code == 400 and r.json["error"]["field"] == "finding.basis_reason"
    whole = finding | {"description": "配电箱带电部位裸露", "basis": "其他", "basis_reason": "可致触电死亡"}
    assert inspector.put(url, json={"result": "fail", "finding": whole, "note": "另见照片"}, headers=headers).status_code == 200
    from checklist.audits.audit_file import load_audit

    saved = load_audit(store.path(audit))[0].entries[0].finding
    assert (saved.description, saved.basis, saved.basis_reason) == ("配电箱带电部位裸露", "其他", "可致触电死亡")
    from checklist.register.importer import import_audits

    added = import_audits(site.engine, [str(store.path(audit))], by="张三", role="inspector", files_dir=site.files).added
    row = api(site, "张三", "get", f"/api/hazards/{added[0]}").json
    assert (row["description"], row["basis"], row["basis_reason"]) == ("配电箱带电部位裸露", "其他", "可致触电死亡")  # not the note
