"""Who is asking, and may they: the session cookie or a Bearer token identifies the user on
every request; unsafe methods need the session's CSRF token; failed logins are rate limited
(counted in the database, by the name as login folds it);
views state the roles they serve, and unit users are held to their unit's hazards."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, g, request

from checklist.register.users import User

SESSION_COOKIE = "checklist_session"
LOGIN_CSRF_COOKIE = "checklist_login_csrf"
LOGIN_WINDOW = 15 * 60  # seconds
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def settings() -> Any:
    return current_app.extensions["checklist"]


def settings_of(app: Flask) -> Any:
    return app.extensions["checklist"]


def install(app: Flask) -> None:
    app.extensions["login_limiter"] = LoginLimiter(settings_of(app).engine)

    @app.before_request
    def identify() -> None:
        from checklist.register.users import by_token, session_for

        g.user, g.csrf, g.via_token = None, None, False
        if request.endpoint == "static":  # public assets: no database round trip
            return
        engine = settings().engine
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            g.user = by_token(engine, auth[7:].strip())
            g.via_token = True
            if g.user is None:
                abort(401)
            return
        sid = request.cookies.get(SESSION_COOKIE)
        if sid:
            session = session_for(engine, sid)
            if session is not None:
                g.user, g.csrf = session.user, session.csrf
        if request.method in UNSAFE and g.user is not None:
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
            if not g.csrf or not hmac.compare_digest(sent, g.csrf):
                abort(403)

    @app.context_processor
    def template_globals() -> dict:
        from checklist import vocabulary

        return {"user": g.get("user"), "csrf_token": g.get("csrf") or "", "role_names": vocabulary.ROLE_NAMES, "vocabulary": vocabulary}


def login_required(*roles: str) -> Callable:
    """The view needs a logged-in user with one of ``roles`` (any role when none are named)."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            user: User | None = g.get("user")
            if user is None:
                if request.path.startswith("/api/") or g.get("via_token"):
                    abort(401)
                from flask import redirect, url_for

                return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return inner

    return wrap


class LoginLimiter:
    """Failed logins per (address, name) and per address in a sliding window, kept in the
    register's database (``register.login_limits``) so every server process shares them; the
    check and the count are one step, so parallel guesses cannot slip past the limit."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def attempt(self, address: str, name: str, limit: int, address_limit: int) -> Any:
        from checklist.register.login_limits import reserve

        return reserve(self.engine, address, name, limit, address_limit, LOGIN_WINDOW)

    def succeeded(self, address: str, name: str) -> None:
        from checklist.register.login_limits import succeeded

        succeeded(self.engine, address, name)


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)
