"""Logging in and out. The login form carries a CSRF token bound to a cookie (there is no session
yet); a successful login issues a new session id; failures are rate limited per name and address."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from checklist.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, login_required, new_login_csrf, settings

bp = Blueprint("auth", __name__)
ADDRESS_FACTOR = 4  # failures allowed from one address across names, as a multiple of those per name


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("pages_audits.home")


@bp.get("/login")
def login() -> Any:
    token = new_login_csrf()
    response = current_app.make_response(
        render_template("web/login.html.j2", login_csrf=token, next=request.args.get("next", ""), message=None, name="")
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=settings().secure_cookies)
    return response


@bp.post("/login")
def login_post() -> Any:
    from checklist.register.users import authenticate, start_session

    name = request.form.get("name", "").strip()
    sent, expected = request.form.get("csrf_token", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(sent, expected):
        return _again(name, "页面已过期，请重新登录", 403)
    limiter = current_app.extensions["login_limiter"]
    key, address = (request.remote_addr or "", name), (request.remote_addr or "", "")  # one name, and any names from one address
    limit = settings().login_attempts
    wait = max(limiter.blocked(key, limit), limiter.blocked(address, limit * ADDRESS_FACTOR))
    if wait:
        return _again(name, f"登录失败次数过多，请 {max(1, wait // 60)} 分钟后再试", 429)
    user = authenticate(settings().engine, name, request.form.get("password", ""))
    if user is None:
        limiter.failed(key)
        limiter.failed(address)
        return _again(name, "用户名或密码错误", 401)
    limiter.succeeded(key)
    sid, _ = start_session(settings().engine, user)
    response = redirect(_safe_next(request.form.get("next")))
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="Lax", secure=settings().secure_cookies)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _again(name: str, message: str, status: int) -> Any:
    token = new_login_csrf()
    response = current_app.make_response(
        (render_template("web/login.html.j2", login_csrf=token, next=request.form.get("next", ""), message=message, name=name), status)
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=settings().secure_cookies)
    return response


@bp.post("/logout")
@login_required()
def logout() -> Any:
    from checklist.register.users import end_session

    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        end_session(settings().engine, sid)
    g.user = None
    response = redirect(url_for("auth.login"))
    response.delete_cookie(SESSION_COOKIE)
    return response
