"""Photos from a phone or tablet camera, made safe before they are kept: size-limited, their pixels
counted from the header before anything is decoded, decoded (JPEG — including the multi-picture
JPEGs (MPO) phones write, of which the primary picture is kept — or PNG only, whatever the name or
the declared type says), turned upright by their EXIF orientation, re-encoded without any metadata
(EXIF, comment, XMP, colour profile, text chunks), and stored under their content's SHA-256."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from checklist.files import atomic

MAX_BYTES = 10 * 1024 * 1024  # one photo; a request may carry up to app.MAX_UPLOAD
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded (a 12 MP phone photo is far below)
FORMATS = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png"}


class PhotoRefused(ValueError):
    """Why an upload is not a photo we keep (a Chinese message for the person who sent it)."""


@dataclass(frozen=True)
class StoredPhoto:
    name: str  # <sha256><ext>
    sha256: str
    path: Path
    new: bool = False  # this upload wrote the file (the same photo may be kept already)


def clean(data: bytes) -> tuple[bytes, str]:
    """The photo re-encoded upright without metadata, and its extension; PhotoRefused otherwise."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise PhotoRefused("照片为空")
    if len(data) > MAX_BYTES:
        raise PhotoRefused(f"照片过大（上限 {MAX_BYTES // 1024 // 1024} MB）")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow itself only warns up to twice this: counted below, exactly
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # it is refused just below
            probe = Image.open(io.BytesIO(data))  # reads the header only
        with probe:
            kind = probe.format
            if kind not in FORMATS:
                raise PhotoRefused("只接受 JPEG 或 PNG 照片")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PhotoRefused(_too_many(width, height))
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # of a multi-picture JPEG, the primary picture
            upright = ImageOps.exif_transpose(img)
            picture = upright.convert("RGB") if kind != "PNG" else upright.copy()
            picture.info = {}  # no comment, text chunk, profile or EXIF is carried over
            out = io.BytesIO()
            if kind != "PNG":
                picture.save(out, "JPEG", quality=88, optimize=True)
            else:
                picture.save(out, "PNG", optimize=True)
    except PhotoRefused:
        raise
    except Image.DecompressionBombError as e:  # beyond twice the limit: Pillow refused at the header
        raise PhotoRefused(_too_many(0, 0)) from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise PhotoRefused("无法识别为 JPEG 或 PNG 照片") from e
    return out.getvalue(), FORMATS[kind]


def _too_many(width: int, height: int) -> str:
    size = f"{width}×{height}，" if width else ""
    return f"照片像素过多（{size}上限 {MAX_PIXELS // 10_000} 万像素）"


def store(data: bytes, folder: Path) -> StoredPhoto:
    """Clean the photo and keep it in ``folder`` as <sha256>.<ext> (the same photo is kept once)."""
    cleaned, ext = clean(data)
    sha = hashlib.sha256(cleaned).hexdigest()
    target = folder / (sha + ext)
    if target.exists():
        return StoredPhoto(target.name, sha, target)
    atomic.write_bytes(target, cleaned)
    return StoredPhoto(target.name, sha, target, new=True)
