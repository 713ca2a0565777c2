"""Image uploads, checked by content: JPEG, PNG or WebP only, at most 5 MB, bounded in pixels.

Every accepted image is re-encoded (which drops EXIF, GPS and anything appended to the file),
scaled down to at most MAX_SIDE pixels on its longest side, and gets a random file name. Forms use
`ImageUploadField`; services store `cleaned_data[...]` as is.

What an upload may cost is decided from its header, before a single pixel is decoded
(`Image.open` reads only the header):

* JPEG up to MAX_JPEG_PIXELS (64-megapixel phone photos): libjpeg decodes it at 1/2, 1/4 or 1/8
  scale (`Image.draft`), so a 48-megapixel photo costs about what a 12-megapixel one does.
* PNG and WebP cannot be decoded at a reduced scale, so their caps are lower.
* No `optimize=True` pass: it compresses the whole image again for a few per cent.

Views check permission and state before they bind a form to request.FILES, so an upload that
would be refused anyway is never decoded.
"""

from __future__ import annotations

import io
import math
import uuid
import warnings
from typing import Any

from django import forms
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# Pixel caps by format: what one decode may cost in time and memory (peak about 3 bytes a pixel
# for JPEG at reduced scale, up to 15 for WebP, whose decoder keeps extra full-size buffers).
MAX_JPEG_PIXELS = 70_000_000  # a 64-megapixel sensor gives 9248×6936
MAX_PNG_PIXELS = 24_000_000  # still takes a 1080×20000 phone "long screenshot"
MAX_WEBP_PIXELS = 16_000_000
MAX_JPEG_SCANS = 100  # a progressive JPEG has about 10; each scan is another pass over the image
MAX_SIDE = 2048  # the longest side of a stored photo
# A long screenshot (longer than 3:1) keeps a readable width instead: at most 1080 px across and
# LONG_MAX_PIXELS in all.
LONG_RATIO, LONG_SHORT_SIDE, LONG_MAX_PIXELS = 3, 1080, 8_000_000
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
PIXEL_CAPS = {"JPEG": MAX_JPEG_PIXELS, "PNG": MAX_PNG_PIXELS, "WEBP": MAX_WEBP_PIXELS}
FORMAT_LABELS = {"JPEG": "JPG", "PNG": "PNG", "WEBP": "WebP"}
# Pillow's own guard stays at its default (Image.MAX_IMAGE_PIXELS, about 89 megapixels: a warning,
# which clean_image turns into a refusal; twice that: an error). Our caps are lower, so it is only
# the second line; never set it to None.

NOT_IMAGE = _("只能上传 JPG、PNG 或 WebP 格式的图片，该文件不是有效的图片。")
TOO_BIG = _("图片不能超过 5 MB。")
TOO_MANY_PIXELS = _("图片尺寸过大，请缩小后再上传。")
TOO_MANY_PIXELS_FOR = _(
    "%(format)s 图片的尺寸过大（%(pixels)s 万像素，最多 %(cap)s 万像素），请缩小后再上传。"
)


def target_size(width: int, height: int) -> tuple[int, int]:
    """The size we store: at most MAX_SIDE on the longest side (long screenshots: see above)."""
    long, short = max(width, height), min(width, height)
    if long > LONG_RATIO * short:
        scale = min(1.0, LONG_SHORT_SIDE / short, math.sqrt(LONG_MAX_PIXELS / (width * height)))
    else:
        scale = min(1.0, MAX_SIDE / long)
    if scale >= 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def probe(data: bytes) -> tuple[str, tuple[int, int]]:
    """Format and size, from the header only; refuses what would cost too much to decode."""
    with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
        fmt, (width, height) = image.format, image.size
        if width * height > PIXEL_CAPS[fmt]:
            raise forms.ValidationError(
                TOO_MANY_PIXELS_FOR,
                code="too_many_pixels",
                params={
                    "format": FORMAT_LABELS[fmt],
                    "pixels": math.ceil(width * height / 10_000),
                    "cap": PIXEL_CAPS[fmt] // 10_000,
                },
            )
        # Start-of-scan markers cannot occur inside entropy-coded data (an 0xFF there is stuffed).
        if fmt == "JPEG" and data.count(b"\xff\xda") > MAX_JPEG_SCANS:
            raise forms.ValidationError(NOT_IMAGE, code="not_image")
        image.verify()  # chunk structure and checksums (PNG); decodes no pixels
    return fmt, (width, height)


def decode(data: bytes, fmt: str, size: tuple[int, int]) -> Image.Image:
    """The picture at the size we store, turned upright. The expensive step: call after probe()."""
    target = target_size(*size)
    image = Image.open(io.BytesIO(data), formats=[fmt])
    if fmt == "JPEG":
        # libjpeg decodes at the smallest of 1/1, 1/2, 1/4, 1/8 scale that still covers target.
        image.draft("RGB", target)
    image.load()
    if image.size != target:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            alpha = "A" in image.mode or "transparency" in image.info
            image = image.convert("RGBA" if alpha else "RGB")
        # reducing_gap: an integer box reduction first (cheap), then Lanczos for the rest.
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=1.0)
    # The EXIF orientation applied (resize keeps `info`, which holds the EXIF); encode() drops it.
    ImageOps.exif_transpose(image, in_place=True)
    return image


def encode(image: Image.Image, fmt: str) -> bytes:
    """Re-encode with nothing of the source's metadata but the colour profile (and PNG
    transparency): Pillow would otherwise carry some over (a JPEG comment, XMP)."""
    keep = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    if fmt == "PNG" and "transparency" in image.info:
        keep["transparency"] = image.info["transparency"]
    image.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, **keep)
    elif fmt == "PNG":
        image.save(out, "PNG", **keep)
    else:
        image.save(out, "WEBP", quality=88, method=2, **keep)  # method 4: 2× the time, 4% smaller
    return out.getvalue()


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Validate, scale down and re-encode; raises forms.ValidationError with a Chinese message."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise forms.ValidationError(TOO_BIG, code="too_big")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise forms.ValidationError(TOO_BIG, code="too_big")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fmt, size = probe(data)
            encoded = encode(decode(data, fmt, size), fmt)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise forms.ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise forms.ValidationError(NOT_IMAGE, code="not_image") from exc
    ext, content_type = FORMATS[fmt]
    name = f"{uuid.uuid4().hex}.{ext}"
    return InMemoryUploadedFile(io.BytesIO(encoded), None, name, content_type, len(encoded), None)


class ImageUploadField(forms.ImageField):
    """An ImageField whose value is the cleaned, re-encoded, randomly named file."""

    default_error_messages = {
        "invalid_image": NOT_IMAGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("JPG、PNG 或 WebP，不超过 5 MB；大照片会自动缩小。"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp")

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        # Our own check replaces Django's (which trusts more formats, SVG-free but e.g. GIF, BMP).
        return clean_image(data)


@deconstructible
class RandomUploadPath:
    """upload_to: <prefix>/<yyyy>/<random>.<ext>, never the user's file name."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, instance: Any, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomUploadPath) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
