"""The application factory: settings, the Jinja environment shared with the outputs (autoescape,
StrictUndefined), security headers, errors as Chinese pages or JSON, and the blueprints."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from checklist import __version__, dates
from checklist.errors import ChecklistError, Refusal, UsageError
from checklist.workdays.calendar import Calendar, load_calendar

MAX_UPLOAD = 12 * 1024 * 1024  # bytes in one request: a phone photo, with room to spare
HSTS_SECONDS = 365 * 24 * 3600


@dataclass
class Settings:
    engine: Any  # the register's SQLAlchemy engine (checklist.register.db.open_register)
    data: Path  # audits/ and their evidence/ live here
    files: Path  # the register's evidence files (rectification photos), by SHA-256
    today: Callable[[], dt.date] = dates.today  # tests pass a fixed day
    calendar: Calendar = field(default_factory=load_calendar)
    secure_cookies: bool = False  # set behind HTTPS: Secure cookies, and HSTS
    trusted_proxy: str | None = None  # the address of the proxy whose X-Forwarded-For names the client
    login_attempts: int = 5  # failures allowed per name and address in LOGIN_WINDOW
    pdf_workers: int = 1  # processes that render PDFs; 0 renders in the request's thread (tests)

    @classmethod
    def from_options(cls, db: str | None, data: str | Path, files: str | None = None) -> Settings:
        """The settings of `checklist serve`: evidence files where the register's commands keep
        them (``--files``, else beside the SQLite file), so the CLI and the browser share them."""
        from checklist.register.db import files_folder, open_register

        folder = Path(data)
        try:
            (folder / "audits").mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UsageError(f"--data {data}: cannot create the folder: {e.strerror}") from e
        engine = open_register(db, pooled=True)
        return cls(engine=engine, data=folder, files=files_folder(engine, files))

    def __post_init__(self) -> None:
        # resolved once, at start-up: send_file reads a relative path against the package's
        # folder, not the working one (every after-photo was a 500 with the defaults)
        self.data, self.files = Path(self.data).resolve(), Path(self.files).resolve()


def create_app(settings: Settings) -> Flask:
    app = Flask(__name__, static_folder=None, template_folder="templates")  # static/ is served by assets
    app.config.update(MAX_CONTENT_LENGTH=MAX_UPLOAD, SECRET_KEY=secrets.token_hex(32), JSON_AS_ASCII=False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["checklist"] = settings
    from checklist.web.audit_store import Store
    from checklist.web.server import PdfPool

    app.extensions["audit_store"] = Store(settings.data / "audits")
    app.extensions["pdf_pool"] = PdfPool(settings.pdf_workers)
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = jinja2.StrictUndefined
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["beijing"] = beijing_time

    if settings.trusted_proxy:
        app.wsgi_app = trust_proxy(app.wsgi_app, settings.trusted_proxy)  # type: ignore[method-assign]

    from checklist.web import api, assets, auth, pages_audits, pages_hazards, pages_papers, pages_users, security

    security.install(app)
    assets.install(app)
    for bp in (auth.bp, pages_audits.bp, pages_hazards.bp, pages_papers.bp, pages_users.bp, api.bp):
        app.register_blueprint(bp)
    from checklist.web import catalog_setup

    catalog_setup.install(app)  # catalogs made in the browser: their pages, API and published folder

    from checklist import i18n

    @app.before_request
    def chinese() -> None:
        """Every message made while answering (a file's problems, a render's failure) is Chinese,
        as the pages are, whatever the server's locale."""
        g.language = i18n.pin(i18n.DEFAULT)

    @app.teardown_request
    def locale_again(_error: BaseException | None) -> None:
        if "language" in g:
            i18n.unpin(g.pop("language"))

    @app.get("/healthz")
    def healthz() -> Any:
        from checklist.register.db import reading

        try:
            with reading(settings.engine) as conn:
                conn.exec_driver_sql("SELECT 1")
            ok = True
        except ChecklistError:
            ok = False
        return jsonify(status="ok" if ok else "error", database=ok, version=__version__), 200 if ok else 503

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault(
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; frame-ancestors 'none'"
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if settings.secure_cookies:  # served over HTTPS: browsers never try plain HTTP again
            response.headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_SECONDS}")
        return response

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Any:
        return error_response(e.code or 500, MESSAGES.get(e.code or 500, "请求无法处理"))

    from checklist.web.audit_store import AnswerRefused
    from checklist.web.photos import PhotoRefused

    @app.errorhandler(AnswerRefused)
    def answer_refused(e: AnswerRefused) -> Any:
        if e.current is not None and wants_json():
            return jsonify(error={"message": e.message, "field": e.field, "current": e.current}), e.status
        return error_response(e.status, e.message, field_name=e.field)

    @app.errorhandler(PhotoRefused)
    def photo_refused(e: PhotoRefused) -> Any:
        return error_response(400, str(e), field_name="photo")

    @app.errorhandler(Refusal)
    def refusal(e: Refusal) -> Any:
        """The domain refused: its words for a page, its status, the field at fault (and, when an
        answer changed meanwhile, the answer as it is now)."""
        from checklist.web import words

        current = e.params.get("entry")
        if current is not None and wants_json():
            return jsonify(error={"message": words.word(e), "field": e.field, "code": e.code, "current": current}), words.status(e)
        return error_response(words.status(e), words.word(e), field_name=e.field, code=e.code)

    @app.errorhandler(ChecklistError)
    def checklist_error(e: ChecklistError) -> Any:
        return error_response(*translate(e))

    return app


def trust_proxy(wsgi_app: Callable, proxy: str) -> Callable:
    """The client's address from the X-Forwarded-For (and the scheme from X-Forwarded-Proto) of a
    request that comes from ``proxy`` — werkzeug's ProxyFix for one proxy hop —, so the login limit
    counts each person behind the HTTPS proxy, not the proxy. From any other peer these headers
    are dropped: only the named proxy is believed."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)

    def app(environ: dict, start_response: Callable) -> Any:
        if environ.get("REMOTE_ADDR") == proxy:
            return fixed(environ, start_response)
        for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED"):
            environ.pop(header, None)
        return wsgi_app(environ, start_response)

    return app


def beijing_time(stamp: str) -> str:
    """A log time (ISO, UTC) as people at the bureau read it: in the project's zone."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone(dates.zone()).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权访问：超出您的角色或单位范围",
    404: "未找到",
    405: "不支持该操作",
    413: f"上传文件过大（一次上传上限 {MAX_UPLOAD // 1024 // 1024} MB）",
    429: "操作过于频繁，请稍后再试",
    500: "服务器内部错误",
}


def translate(e: ChecklistError) -> tuple[int, str, str | None]:
    """A ChecklistError as an HTTP status, a Chinese message and the page's words for what went
    wrong (a file's problems each at its place in the file; never the server's paths)."""
    from checklist.errors import DatabaseError, RenderError
    from checklist.web.words import problems

    if isinstance(e, RenderError):
        return 500, "文书生成失败，请稍后重试", e.message
    if isinstance(e, DatabaseError):
        return 503, "数据库暂不可用", None
    return 400, "请求无法完成", problems(e)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json" or request.is_json


def error_response(status: int, message: str, detail: str | None = None, field_name: str | None = None, code: str | None = None) -> Any:
    if wants_json():
        body: dict[str, Any] = {"error": {"message": message}}
        if field_name:
            body["error"]["field"] = field_name
        if code:
            body["error"]["code"] = code
        if detail:
            body["error"]["detail"] = detail
        return jsonify(body), status
    return render_template("web/error.html.j2", status=status, message=message, detail=detail, user=g.get("user")), status
