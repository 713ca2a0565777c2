"""Image uploads are checked by content: JPEG/PNG/WebP only, 5 MB, pixels capped before decoding,
large photos scaled down, re-encoded; views refuse before they decode anything."""

from __future__ import annotations

import io
import re
import struct
import zlib
from unittest import mock

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from campaign.models import Pledge, PledgeProgress
from config import uploads
from config.uploads import MAX_BYTES, ImageUploadField, RandomUploadPath, clean_image
from members.models import Role
from reading.models import Purchase
from tests.campaign.factories import make_campaign, make_pledge
from tests.factories import make_person
from tests.reading.factories import make_activity

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


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose header (SOF0) claims width×height pixels."""
    data = bytearray(image_bytes("JPEG", (16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _png_header_only(7000, 7000, rows=64),
            "PNG 图片的尺寸过大（4900 万像素，最多 2400 万像素）",
        ),
        (_png_header_only(20000, 20000, rows=64), "图片尺寸过大"),  # Pillow's own bomb error
        (_jpeg_claiming(10000, 8000), "JPG 图片的尺寸过大（8000 万像素，最多 7000 万像素）"),
    ],
    ids=["png-49MP", "png-400MP", "jpeg-80MP"],
)
def test_too_many_pixels_is_refused_from_the_header_with_a_message(data, message, monkeypatch):
    assert len(data) < 200_000, "the bomb must be small on disk"
    decode = mock.Mock(side_effect=AssertionError("decoded"))
    monkeypatch.setattr(uploads, "decode", decode)
    form = submit(data, "bomb.png")
    assert not form.is_valid()
    assert message in form.errors["photo"][0]
    decode.assert_not_called()


def test_a_long_thin_strip_is_fine_the_limit_is_pixels():
    form = submit(_png_header_only(100_000, 1, rows=1), "strip.png")
    assert form.is_valid(), form.errors


def test_pillow_keeps_its_own_bomb_guard():
    assert Image.MAX_IMAGE_PIXELS is not None
    assert uploads.MAX_JPEG_PIXELS <= Image.MAX_IMAGE_PIXELS <= 200_000_000


@pytest.mark.parametrize(
    ("size", "decoded"),
    [
        ((8000, 6000), (4000, 3000)),  # 48 MP: libjpeg decodes at 1/2 scale
        ((9248, 6936), (2312, 1734)),  # 64 MP: at 1/4 scale
    ],
)
def test_a_large_phone_photo_is_accepted_scaled_down_and_decoded_at_reduced_scale(
    size, decoded, monkeypatch
):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the stored photo must come out upright, 1536 wide
    buf = io.BytesIO()
    Image.new("L", size, 128).save(buf, "JPEG", exif=exif)  # grey: a quarter of RGB's memory
    data = buf.getvalue()
    assert len(data) <= MAX_BYTES
    resized_from = []
    resize = Image.Image.resize

    def spy(self, *args, **kwargs):
        resized_from.append(self.size)
        return resize(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", spy)
    form = submit(data, "IMG_20110516.jpg")
    assert form.is_valid(), form.errors
    with Image.open(form.cleaned_data["photo"]) as stored:
        assert stored.size == (1536, 2048)
        assert not stored.getexif()
    assert resized_from == [decoded]


def test_a_long_screenshot_keeps_a_readable_width():
    image = Image.new("L", (1080, 20000), 200)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    form = submit(buf.getvalue(), "长截图.png")
    assert form.is_valid(), form.errors
    with Image.open(form.cleaned_data["photo"]) as stored:
        width, height = stored.size
    assert width >= 600 and width * height <= uploads.LONG_MAX_PIXELS
    assert abs(height / width - 20000 / 1080) < 0.05


def test_small_photos_keep_their_size():
    assert uploads.target_size(1600, 1200) == (1600, 1200)
    assert uploads.target_size(4000, 3000) == (2048, 1536)
    assert uploads.target_size(3000, 4000) == (1536, 2048)


def test_a_jpeg_with_hundreds_of_scans_is_refused_before_decoding(monkeypatch):
    data = image_bytes("JPEG", comment=b"\xff\xda" * 200)  # start-of-scan markers
    decode = mock.Mock(side_effect=AssertionError("decoded"))
    monkeypatch.setattr(uploads, "decode", decode)
    form = submit(data, "scans.jpg")
    assert not form.is_valid() and "JPG、PNG 或 WebP" in form.errors["photo"][0]
    decode.assert_not_called()


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


# --- Views refuse before they decode ---------------------------------------------------------


@pytest.fixture
def decode_spy(monkeypatch):
    """Records every decode (and header probe) of an uploaded image."""
    spy = mock.Mock(wraps=uploads.decode)
    probe = mock.Mock(wraps=uploads.probe)
    monkeypatch.setattr(uploads, "decode", spy)
    monkeypatch.setattr(uploads, "probe", probe)
    spy.probe = probe
    return spy


@pytest.fixture
def campaign(secretary):
    return make_campaign(secretary)


def _progress(client, pledge):
    data = {
        "happened_on": "2011-03-01",
        "content": "按时配送到位",
        "photo": upload(image_bytes("JPEG"), "践诺.jpg"),
    }
    return client.post(reverse("campaign:progress_add", args=[pledge.pk]), data)


def test_progress_photo_on_an_open_pledge_is_decoded_once(
    member_client, member, campaign, decode_spy
):
    pledge = make_pledge(campaign, member, status=Pledge.Status.PUBLISHED)
    assert _progress(member_client, pledge).status_code == 302
    assert decode_spy.call_count == 1  # the spy is where the work happens


@pytest.mark.parametrize("status", ["draft", "submitted", "approved", "judged"])
def test_progress_photo_on_a_pledge_not_open_is_refused_without_decoding(
    member_client, member, campaign, decode_spy, status
):
    pledge = make_pledge(campaign, member, status=status)
    response = _progress(member_client, pledge)
    assert response.status_code == 200
    content = response.content.decode()
    assert "承诺亮诺后、评定之前才能记录践诺情况" in content
    assert "按时配送到位" in content  # what was typed is kept
    assert not PledgeProgress.objects.exists() and Pledge.objects.get().status == status
    decode_spy.assert_not_called()
    decode_spy.probe.assert_not_called()


def test_progress_photo_on_someone_elses_pledge_is_refused_without_decoding(
    member_client, branch, campaign, decode_spy
):
    other = make_person(branch, (Role.MEMBER,))
    pledge = make_pledge(campaign, other, status=Pledge.Status.PUBLISHED)
    assert _progress(member_client, pledge).status_code == 403
    decode_spy.assert_not_called()
    decode_spy.probe.assert_not_called()


def test_invoice_photo_before_books_are_selected_is_refused_without_decoding(
    secretary_client, branch, decode_spy
):
    activity = make_activity(branch, "recommend")
    data = {
        "quantity": "10",
        "unit_price": "28.00",
        "supplier": "新华书店",
        "purchased_on": "2011-04-01",
        "invoice": upload(image_bytes("PNG"), "发票.png", "image/png"),
    }
    response = secretary_client.post(reverse("reading:purchase_create", args=[activity.pk]), data)
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert not Purchase.objects.exists()
    decode_spy.assert_not_called()
    decode_spy.probe.assert_not_called()
