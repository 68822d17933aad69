"""Logging in and out. The login form carries a CSRF token bound to a cookie (there is no session
yet); a successful login issues a new session id; failures are rate limited per name and address."""

from __future__ import annotations

import hmac
import unicodedata
from typing import Any, NoReturn
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from checklist.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, login_required, new_login_csrf, settings

bp = Blueprint("auth", __name__)
ADDRESS_FACTOR = 4  # failures allowed from one address across names, as a multiple of those per name


def _safe_next(target: str | None) -> str | None:
    """Where to go after logging in: a path on this site, else None. Browsers drop tabs and line
    breaks from a URL and read a backslash as a slash, so ``/\t/evil.example`` is ``//evil.example``
    — another host: any control character, space or backslash, a second leading slash, a scheme or
    a host makes the target unsafe."""
    if not target:
        return url_for("pages_audits.home")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] in "CZ" for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _refuse_next() -> NoReturn:
    from checklist.web.audit_store import AnswerRefused

    raise AnswerRefused("登录后跳转的地址无效：只能是本站的页面", "next")


@bp.get("/login")
def login() -> Any:
    if _safe_next(request.args.get("next")) is None:
        _refuse_next()
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
    target = _safe_next(request.form.get("next"))
    if target is None:
        _refuse_next()
    limiter = current_app.extensions["login_limiter"]
    address, limit = request.remote_addr or "", settings().login_attempts
    attempt = limiter.attempt(address, name, limit, limit * ADDRESS_FACTOR)  # counted as a failure until the password is right
    if attempt.wait:
        return _again(name, f"登录失败次数过多，请 {max(1, attempt.wait // 60)} 分钟后再试", 429)
    user = authenticate(settings().engine, name, request.form.get("password", ""))
    if user is None:
        return _again(name, "用户名或密码错误", 401)
    limiter.succeeded(address, name)
    sid, _ = start_session(settings().engine, user)
    response = redirect(target)
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
