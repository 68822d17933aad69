"""Users in the browser, for admins: the list, a new user (password at least 10 characters, kept
as an Argon2id hash), and disabling one (its sessions end, its token stops working) — the same
core functions as `checklist users`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from checklist.errors import Refusal
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
    from checklist.register.users import add_user
    from checklist.web import words

    form = {k: request.form.get(k, "").strip() for k in ("name", "role", "unit")}
    try:
        add_user(settings().engine, form["name"], form["role"], form["unit"] or None, request.form.get("password", ""))
    except Refusal as e:
        return page(words.word(e), words.status(e), form)
    return redirect(url_for("pages_users.users"))


@bp.post("/users/<name>/disable")
@login_required("admin")
def disable(name: str) -> Any:
    from checklist.register.users import disable_user

    try:
        disable_user(settings().engine, name)
    except Refusal:
        return page("未找到该用户", 404)
    return redirect(url_for("pages_users.users"))
