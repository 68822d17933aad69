"""Photos from a phone or tablet camera, made safe before they are kept: size-limited, decoded
(JPEG or PNG only — whatever the name or the declared type says), turned upright by their EXIF
orientation, re-encoded without metadata, and stored under their content's SHA-256."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from checklist.files import atomic

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
FORMATS = {"JPEG": ".jpg", "PNG": ".png"}


class PhotoRefused(ValueError):
    """Why an upload is not a photo we keep (a Chinese message for the person who sent it)."""


@dataclass(frozen=True)
class StoredPhoto:
    name: str  # <sha256><ext>
    sha256: str
    path: Path


def clean(data: bytes) -> tuple[bytes, str]:
    """The photo re-encoded upright without metadata, and its extension; PhotoRefused otherwise."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise PhotoRefused("照片为空")
    if len(data) > MAX_BYTES:
        raise PhotoRefused(f"照片过大（上限 {MAX_BYTES // 1024 // 1024} MB）")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in FORMATS:
                raise PhotoRefused("只接受 JPEG 或 PNG 照片")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if kind == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            else:
                upright.save(out, "PNG", optimize=True)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as e:
        raise PhotoRefused("无法识别为 JPEG 或 PNG 照片") from e
    return out.getvalue(), FORMATS[kind]


def store(data: bytes, folder: Path) -> StoredPhoto:
    """Clean the photo and keep it in ``folder`` as <sha256>.<ext> (the same photo is kept once)."""
    cleaned, ext = clean(data)
    sha = hashlib.sha256(cleaned).hexdigest()
    target = folder / (sha + ext)
    if not target.exists():
        atomic.write_bytes(target, cleaned)
    return StoredPhoto(target.name, sha, target)
