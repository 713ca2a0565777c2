"""Image uploads are checked by content: JPEG/PNG/WebP only, 5 MB, 40 megapixels, re-encoded."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from config.uploads import MAX_BYTES, ImageUploadField, RandomUploadPath, clean_image

GPS_IFD = 0x8825
LAT = "43.8256"  # Urumqi: must not survive the upload


class PhotoForm(forms.Form):
    photo = ImageUploadField(label="照片")


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    image = Image.new("RGB", size, (180, 20, 20))
    buf = io.BytesIO()
    image.save(buf, fmt, **save)
    return buf.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: rotated, must be applied then dropped
    exif[0x010E] = f"拍摄于 {LAT}"  # ImageDescription
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (43.0, 49.0, 32.0)
    gps[3] = "E"
    gps[4] = (87.0, 37.0, 0.0)
    return exif


def upload(data: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def submit(data: bytes, name: str) -> PhotoForm:
    form = PhotoForm(data={}, files={"photo": upload(data, name)})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("fmt", "ext", "save"),
    [
        ("JPEG", "jpg", {"exif": exif_with_gps(), "comment": f"gps {LAT}".encode()}),
        ("PNG", "png", {"exif": exif_with_gps()}),
        ("WEBP", "webp", {"exif": exif_with_gps()}),
    ],
)
def test_jpeg_png_webp_are_accepted_and_lose_exif_and_gps(fmt, ext, save):
    original = image_bytes(fmt, **save)
    probe = Image.open(io.BytesIO(original))
    assert probe.getexif().get_ifd(GPS_IFD), "the test image must carry GPS to begin with"

    form = submit(original, f"IMG_0001.{ext}")
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["photo"]
    data = cleaned.read()
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{ext}", cleaned.name)
    assert cleaned.content_type == f"image/{'jpeg' if fmt == 'JPEG' else fmt.lower()}"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt
        assert not image.getexif(), "EXIF survived"
        assert "exif" not in image.info and "comment" not in image.info
        assert image.size == (48, 64)  # orientation 6 applied before EXIF was dropped
    assert LAT.encode() not in data and b"Camera maker" not in data


def test_xmp_metadata_is_dropped_too():
    xmp = f'<x:xmpmeta><rdf:Description exif:GPSLatitude="{LAT}"/></x:xmpmeta>'.encode()
    form = submit(image_bytes("JPEG", xmp=xmp), "a.jpg")
    assert form.is_valid(), form.errors
    assert LAT.encode() not in form.cleaned_data["photo"].read()


def test_more_than_5_mb_is_refused_before_decoding():
    big = image_bytes("PNG") + b"\0" * MAX_BYTES  # a valid PNG with 5 MB of trailing junk
    form = submit(big, "big.png")
    assert not form.is_valid()
    assert "5 MB" in form.errors["photo"][0]


def _png_header_only(width: int, height: int, rows: int) -> bytes:
    """A 1-bit PNG claiming width×height pixels, tiny on disk (zeros compress to nothing)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = (b"\0" + b"\0" * ((width + 7) // 8)) * rows
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (7000, 7000),  # 49 megapixels: over our limit, under Pillow's own warning
        (20000, 20000),  # 400 megapixels: Pillow's DecompressionBombError territory
        (100_000, 1),  # a long thin strip of 0.1 megapixels: allowed (the limit is pixels)
    ],
)
def test_too_many_pixels_is_refused_with_a_message_not_a_500(width, height):
    data = _png_header_only(width, height, rows=height if height < 10 else 64)
    assert len(data) < 200_000, "the bomb must be small on disk"
    form = submit(data, "bomb.png")
    if width * height <= 40_000_000:
        assert form.is_valid(), form.errors
        return
    assert not form.is_valid()
    assert "4000 万像素" in form.errors["photo"][0]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="9"/></svg>',
            "a.svg",
        ),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "a.png"),
        (b"<html><body><script>alert(1)</script></body></html>", "photo.jpg"),
        (b"\xff\xd8\xff\xe0<script>alert(1)</script>", "half.jpg"),  # JPEG magic, then HTML
        (image_bytes("GIF"), "a.gif"),
        (image_bytes("GIF"), "renamed.jpg"),
        (image_bytes("BMP"), "a.bmp"),
        (image_bytes("TIFF"), "a.jpg"),
        (b"%PDF-1.4\n", "a.jpg"),
        (image_bytes("PNG")[:40], "truncated.png"),
    ],
)
def test_anything_but_jpeg_png_webp_is_refused_by_content(data, name):
    form = submit(data, name)
    assert not form.is_valid()
    assert "JPG、PNG 或 WebP" in form.errors["photo"][0]


def test_a_valid_image_named_html_is_accepted_but_stored_as_what_it_is():
    cleaned = clean_image(upload(image_bytes("PNG"), "evil.html", "text/html"))
    assert cleaned.name.endswith(".png") and cleaned.content_type == "image/png"


def test_trailing_data_after_the_image_is_gone():
    polyglot = image_bytes("JPEG") + b"<script>alert(1)</script>"
    data = clean_image(upload(polyglot, "a.jpg")).read()
    assert b"<script>" not in data


def test_stored_names_are_random_and_never_the_users():
    path = RandomUploadPath("reflections")
    first = path(None, "我的身份证 张三.jpg")
    second = path(None, "我的身份证 张三.jpg")
    assert first != second
    assert re.fullmatch(r"reflections/\d{4}/[0-9a-f]{32}\.jpg", first)
    assert "张三" not in first
    assert re.fullmatch(r"reflections/\d{4}/[0-9a-f]{32}\.bin", path(None, "noext"))
    assert path == RandomUploadPath("reflections") and hash(path) == hash(
        RandomUploadPath("reflections")
    )


def test_an_empty_optional_field_is_none():
    field = ImageUploadField(required=False)
    assert field.clean(None) is None
