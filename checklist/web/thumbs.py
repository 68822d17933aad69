"""Photos as the pages show them: small thumbnails for the lists of photos (a phone photo is
4032×3024; a thumbnail 96 px on the screen), made once and kept beside the photo, and every
photo named by its hash sent with a long private cache lifetime (its bytes never change)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Response, abort

from checklist.files import atomic

WIDTHS = (192, 384)  # a 96 px thumbnail at 2× and 4× pixel density
MAX_AGE = 30 * 24 * 3600
TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def thumbnail(path: Path, width: int) -> Path:
    """A JPEG (or PNG, for a signature) at most ``width`` pixels on its long side, kept in
    ``thumbs/`` beside the photo."""
    folder = path.parent / "thumbs"
    suffix = ".png" if path.suffix.lower() == ".png" else ".jpg"
    target = folder / f"{path.stem}-{width}{suffix}"
    if target.is_file():
        return target
    from PIL import Image

    with Image.open(path) as img:
        if max(img.size) <= width:  # already small: the photo is its own thumbnail
            return path
        img.draft("RGB", (width, width))  # a JPEG is decoded at a fraction of its size
        img.thumbnail((width, width))
        out = io.BytesIO()
        if suffix == ".png":
            img.save(out, "PNG", optimize=True)
        else:
            img.convert("RGB").save(out, "JPEG", quality=80, optimize=True, progressive=True)
    atomic.write_bytes(target, out.getvalue())
    return target


def image_response(path: Path, width: str | None = None) -> Any:
    """The photo (or its thumbnail when ``width`` is one of WIDTHS), cached privately."""
    if path.suffix.lower() not in TYPES or not path.is_file():
        abort(404)
    if width:
        if not width.isdigit() or int(width) not in WIDTHS:
            abort(404)
        path = thumbnail(path, int(width))
    response = Response(path.read_bytes(), mimetype=TYPES[path.suffix.lower()])
    response.headers["Cache-Control"] = f"private, max-age={MAX_AGE}, immutable"
    return response
