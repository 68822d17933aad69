"""Users in the browser, for admins: the list, a new user (password at least 10 characters, kept
as an Argon2id hash), and disabling one (its sessions end, its token stops working) — the same
core functions as `checklist users`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from checklist.errors import UsageError
from checklist.web.security import login_required, settings

bp = Blueprint("pages_users", __name__)


def page(message: str | None = None, status: int = 200, form: dict | None = None) -> Any:
    from checklist.register.users import list_users
    from checklist.vocabulary import ROLE_NAMES

    return render_template(
        "web/users.html.j2", users=list_users(settings().engine), roles=ROLE_NAMES, message=message, form=form or {}
    ), status


@bp.get("/users")
@login_required("admin")
def users() -> Any:
    return page()


@bp.post("/users")
@login_required("admin")
def add() -> Any:
    from checklist.register.users import MIN_PASSWORD, add_user

    form = {k: request.form.get(k, "").strip() for k in ("name", "role", "unit")}
    try:
        add_user(settings().engine, form["name"], form["role"], form["unit"] or None, request.form.get("password", ""))
    except UsageError as e:
        why = {
            "exists": "该用户名已存在",
            "--unit UNIT": "被检查单位用户须填写所属单位",
            "unit users only": "只有被检查单位用户填写所属单位",
            "at least": f"密码至少 {MIN_PASSWORD} 个字符",
            "--role": "请选择角色",
        }
        return page(next((v for k, v in why.items() if k in e.message), "用户名须为 1–64 个字符"), 400, form)
    return redirect(url_for("pages_users.users"))


@bp.post("/users/<name>/disable")
@login_required("admin")
def disable(name: str) -> Any:
    from checklist.register.users import disable_user

    try:
        disable_user(settings().engine, name)
    except UsageError:
        return page("未找到该用户", 404)
    return redirect(url_for("pages_users.users"))
