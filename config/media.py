"""Uploaded files (践诺 photos, invoice photos), served through the app and nowhere else.

No URL serves MEDIA_ROOT as a whole: `/media/…` is a 404 (whitenoise serves only static files and
config/urls.py adds nothing for media). Each upload is reached through a URL of the object it
belongs to, and that object's view checks who may see it with the app's access helper before it
calls `serve_upload`:

* `campaign:progress_photo`  — a 践诺 photo, seen by whoever may see its pledge;
* `reading:purchase_invoice` — an invoice photo, seen by whoever may see the purchases.

A model declares such a file with `ServedImageField(view_name=…)`: its `.url` is that view's URL
(the object's pk and the file's random name), so templates, forms and the admin write
`{{ entry.photo.url }}` as for any file and never link to MEDIA_ROOT. The name in the URL makes the
URL change when the file does, so browsers may keep a photo for a day without asking again.

In production a reverse proxy can send the bytes: with `MEDIA_ACCEL_REDIRECT` set (environment
variable DJANGO_MEDIA_ACCEL_REDIRECT, e.g. `/protected-media/`) the view still checks access and
answers with an empty response carrying `X-Accel-Redirect: /protected-media/<stored name>`, which
nginx serves from an `internal` location (README, "Uploaded photos behind a reverse proxy").
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import content_disposition_header, http_date

# A private cache (the person's own browser) may keep a file this long. The URL carries the
# file's random name, so a replaced photo has a new URL; the day bounds how long a browser keeps
# bytes its user may no longer see.
CACHE_SECONDS = 24 * 60 * 60
# Every stored upload is re-encoded by config/uploads.py into one of these; anything else is sent
# as a download of unknown type, never rendered.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
UNKNOWN_TYPE = "application/octet-stream"


def file_name(file: FieldFile) -> str:
    """The last part of the stored name (a random hex name and its extension)."""
    return PurePosixPath(file.name).name


class ServedImageFieldFile(ImageFieldFile):
    """A stored image whose URL is its owner's view, not a path under MEDIA_URL."""

    @property
    def url(self) -> str:
        self._require_file()
        if self.instance.pk is None:
            raise ValueError("An upload has a URL only once its object is saved.")
        return reverse(self.field.view_name, args=[self.instance.pk, file_name(self)])


class ServedImageField(models.ImageField):
    """An ImageField served by `view_name` (a URL taking the owner's pk and the file name), whose
    view checks access and calls `serve_upload`."""

    attr_class = ServedImageFieldFile

    def __init__(self, *args: Any, view_name: str = "", **kwargs: Any) -> None:
        # Optional only for the migrations' copies of the field, which serve nothing.
        self.view_name = view_name
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        # Where a file is served is not stored in the database: migrations see an ImageField.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs


def serve_upload(request: HttpRequest, file: FieldFile, name: str) -> HttpResponse:
    """The stored file of an object the caller has already checked the user may see.

    `name` is the file name in the URL; a URL with an old or made-up name is a 404, like a missing
    file. Answers 304 to a browser that has the file already (ETag, Last-Modified)."""
    if not file or file_name(file) != name:
        raise Http404
    storage = file.storage
    try:
        size = storage.size(file.name)
        modified = int(storage.get_modified_time(file.name).timestamp())
    except (OSError, SuspiciousFileOperation) as exc:
        raise Http404 from exc
    etag = quote_etag(f"{PurePosixPath(name).stem}-{size:x}-{modified:x}")
    extension = PurePosixPath(name).suffix.lstrip(".").lower()
    content_type = CONTENT_TYPES.get(extension, UNKNOWN_TYPE)
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        if prefix := settings.MEDIA_ACCEL_REDIRECT:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{quote(file.name)}"
        else:
            response = FileResponse(storage.open(file.name, "rb"), content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(content_type == UNKNOWN_TYPE, name)
    return response
