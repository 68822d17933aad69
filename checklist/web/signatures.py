"""Signatures drawn on the screen (a canvas, finger or stylus), as the page sends them: a PNG in a
data URL. Checked (a PNG, of a sensible size, with ink on it), re-encoded without metadata and
kept by its SHA-256 beside the audit's photos, or as evidence of a 复查."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from pathlib import Path

from checklist.errors import Refusal
from checklist.files import atomic

PREFIX = "data:image/png;base64,"
MAX_BYTES = 1024 * 1024
MAX_SIDE = 2400  # a pad on a tablet at a device pixel ratio of 3


def png_of(data_url: object, field: str = "signature") -> bytes:
    """The signature's PNG, cleaned; a Refusal when it is not a drawn signature."""
    if not isinstance(data_url, str) or not data_url.startswith(PREFIX) or len(data_url) > MAX_BYTES * 4 // 3 + len(PREFIX) + 4:
        raise Refusal("signature.image", field)
    try:
        raw = base64.b64decode(data_url[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as e:
        raise Refusal("signature.image", field) from e
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as img:
            if img.format != "PNG" or max(img.size) > MAX_SIDE:
                raise Refusal("signature.image", field)
            img.load()
            rgba = img.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise Refusal("signature.image", field) from e
    if rgba.getchannel("A").getbbox() is None:  # nothing drawn
        raise Refusal("signature.image", field)
    out = io.BytesIO()
    rgba.save(out, "PNG", optimize=True)
    return out.getvalue()


def keep(png: bytes, folder: Path) -> tuple[str, str]:
    """Keep the PNG in ``folder`` as <sha256>.png: (file name, sha256)."""
    sha = hashlib.sha256(png).hexdigest()
    target = folder / f"{sha}.png"
    if not target.exists():
        atomic.write_bytes(target, png)
    return target.name, sha
