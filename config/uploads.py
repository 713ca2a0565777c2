"""Image uploads, checked by content: JPEG, PNG or WebP only, at most 5 MB and 40 megapixels.

Every accepted image is re-encoded (which drops EXIF, GPS and anything appended to the file) and
gets a random file name. Forms use `ImageUploadField`; services store `cleaned_data[...]` as is.
"""

from __future__ import annotations

import io
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
MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def clean_image(upload: UploadedFile) -> InMemoryUploadedFile:
    """Validate and re-encode; raises forms.ValidationError with a Chinese message."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise forms.ValidationError(_("图片不能超过 5 MB。"), code="too_big")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise forms.ValidationError(_("图片不能超过 5 MB。"), code="too_big")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise forms.ValidationError(
                        _("图片尺寸过大（超过 4000 万像素），请缩小后再上传。"),
                        code="too_many_pixels",
                    )
                fmt = probe.format
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                # Pillow carries some metadata from the source over when saving (a JPEG comment,
                # XMP): start from nothing but the colour profile.
                icc = image.info.get("icc_profile")
                image.info = {}
                keep = {"icc_profile": icc} if icc else {}
                out = io.BytesIO()
                if fmt == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, **keep)
                elif fmt == "PNG":
                    image.save(out, "PNG", optimize=True, **keep)
                else:
                    image.save(out, "WEBP", quality=88, **keep)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise forms.ValidationError(
            _("图片尺寸过大（超过 4000 万像素），请缩小后再上传。"), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise forms.ValidationError(
            _("只能上传 JPG、PNG 或 WebP 格式的图片，该文件不是有效的图片。"), code="not_image"
        ) from exc
    ext, content_type = FORMATS[fmt]
    size = out.tell()
    out.seek(0)
    return InMemoryUploadedFile(out, None, f"{uuid.uuid4().hex}.{ext}", content_type, size, None)


class ImageUploadField(forms.ImageField):
    """An ImageField whose value is the cleaned, re-encoded, randomly named file."""

    default_error_messages = {
        "invalid_image": _("只能上传 JPG、PNG 或 WebP 格式的图片，该文件不是有效的图片。"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("JPG、PNG 或 WebP，不超过 5 MB。"))
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
