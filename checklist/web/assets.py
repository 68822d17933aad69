"""The app's own files for the browser: static assets under names that carry their content's hash
(cached for a year; a new version is a new name), the service worker at the site's root (so it
controls every page) with the list of assets to keep offline, the web app manifest and the
favicon. Responses are compressed (flask-compress: brotli, else gzip)."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, url_for

STATIC = Path(__file__).parent / "static"
YEAR = 365 * 24 * 3600
HASHED = re.compile(r"^(?P<stem>[\w-]+)\.(?P<hash>[0-9a-f]{10})(?P<ext>\.[a-z0-9]+)$")
TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
SHELL = ("app.css", "app.js", "icon.svg", "icon-192.png", "icon-512.png")  # kept by the service worker at install
COMPRESSED = ["text/html", "text/css", "text/javascript", "application/json", "application/manifest+json", "image/svg+xml"]


@cache
def _digest(name: str, stamp: tuple[int, int]) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]


def hashed(name: str) -> str:
    """``app.css`` → ``app.<hash>.css`` for the file as it is now."""
    path = STATIC / name
    st = path.stat()
    digest = _digest(name, (st.st_mtime_ns, st.st_size))
    return f"{path.stem}.{digest}{path.suffix}"


def asset(name: str) -> str:
    return url_for("static", filename=hashed(name))


def _file(name: str, max_age: int, immutable: bool = False) -> Response:
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file() or path.suffix not in TYPES:
        abort(404)
    response = Response(path.read_bytes(), mimetype=TYPES[path.suffix].split(";")[0])
    response.headers["Content-Type"] = TYPES[path.suffix]
    response.headers["Cache-Control"] = (f"public, max-age={max_age}" + (", immutable" if immutable else "")) if max_age else "no-cache"
    return response


def install(app: Flask) -> None:
    from flask_compress import Compress

    app.config.update(COMPRESS_MIMETYPES=COMPRESSED, COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_MIN_SIZE=500, COMPRESS_LEVEL=6)
    Compress(app)
    app.jinja_env.globals["asset"] = asset

    def static(filename: str) -> Response:
        m = HASHED.match(filename)
        if m:
            plain = m["stem"] + m["ext"]
            if (STATIC / plain).is_file() and hashed(plain) == filename:
                return _file(plain, YEAR, immutable=True)
            abort(404)  # an old version: the page that asked for it is older than the server
        return _file(filename, 0)

    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=static)

    @app.get("/sw.js")
    def service_worker() -> Any:
        """The service worker, told this version's assets (a new version replaces the old caches)."""
        shell = [asset(n) for n in SHELL] + [url_for("offline_page")]
        version = hashlib.sha256("".join(shell).encode()).hexdigest()[:10]
        head = f"var VERSION = {json.dumps(version)}, SHELL = {json.dumps(shell)};\n"
        response = Response(head + (STATIC / "sw.js").read_text(encoding="utf-8"), mimetype="text/javascript")
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/manifest.webmanifest")
    def manifest() -> Any:
        data = {
            "name": "安全检查与隐患台账",
            "short_name": "安全检查",
            "description": "现场检查、拍照、签字，离线可用；隐患登记、整改与复查。",
            "lang": "zh-CN",
            "start_url": url_for("pages_audits.home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f4f5f7",
            "theme_color": "#0b3d91",
            "icons": [
                {"src": asset("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
                {"src": asset("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
                {"src": asset("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            ],
        }
        response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return _file("favicon.ico", 24 * 3600)

    @app.get("/offline")
    def offline_page() -> Any:
        """What the service worker shows for a page never opened while online."""
        from flask import render_template

        return render_template("web/offline.html.j2")
