"""Upright JPEGs keep their image data bit for bit and lose every metadata segment."""

import io

import pytest
from PIL import Image, ImageChops

from reports.errors import SubmissionError
from reports.photos import process_photo, strip_jpeg_metadata
from tests.reports.conftest import gps_exif


def _jpeg(*, progressive=False, exif=None, comment=None, size=(320, 240)) -> bytes:
    image = Image.effect_noise(size, 40).convert("RGB")
    out = io.BytesIO()
    kwargs = {"progressive": progressive, "quality": 90}
    if exif is not None:
        kwargs["exif"] = exif.tobytes()
    if comment is not None:
        kwargs["comment"] = comment
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def _segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, in order, up to the first scan."""
    markers, pos = [], 2
    while data[pos + 1] != 0xDA:
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


def _same_pixels(a: bytes, b: bytes) -> bool:
    first, second = Image.open(io.BytesIO(a)), Image.open(io.BytesIO(b))
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


@pytest.mark.parametrize("progressive", [False, True])
def test_upright_jpeg_is_stored_without_exif_comment_or_trailer_and_with_the_same_pixels(
    progressive,
):
    original = _jpeg(progressive=progressive, exif=gps_exif(111.875, 34.747), comment=b"iPhone")
    # Phones append motion-photo videos and vendor blobs after the image's end.
    upload = original + b"MotionPhoto_Data" + b"\x00" * 64

    photo = process_photo(None, data=upload)

    assert photo.gps == pytest.approx((111.875, 34.747), abs=1e-4)
    assert 0xE1 not in _segments(photo.content)  # no EXIF/XMP
    assert 0xFE not in _segments(photo.content)  # no comment
    assert photo.content.endswith(b"\xff\xd9")
    assert b"MotionPhoto" not in photo.content and b"iPhone" not in photo.content
    assert not Image.open(io.BytesIO(photo.content)).getexif()
    assert _same_pixels(photo.content, original)
    assert (photo.width, photo.height) == (320, 240)


def test_truncated_upright_jpeg_is_refused_even_on_the_fast_path():
    data = _jpeg(size=(800, 600))
    with pytest.raises(SubmissionError) as refused:
        process_photo(None, data=data[: len(data) * 2 // 3])
    assert refused.value.code == "broken_photo"


def test_rotated_jpeg_is_re_encoded_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    photo = process_photo(None, data=_jpeg(exif=exif, size=(320, 240)))
    assert (photo.width, photo.height) == (240, 320)
    assert not Image.open(io.BytesIO(photo.content)).getexif()


def test_strip_refuses_what_is_not_laid_out_as_a_jpeg():
    assert strip_jpeg_metadata(b"GIF89a....") is None
    assert strip_jpeg_metadata(_jpeg()[:100]) is None


def _first_scan_end(data: bytes) -> int:
    """Where the first scan's entropy-coded data ends (the next marker's 0xFF)."""
    pos = data.index(b"\xff\xda")
    pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    while True:
        pos = data.index(b"\xff", pos)
        if data[pos + 1] not in (0x00, *range(0xD0, 0xD8)):
            return pos
        pos += 1


@pytest.mark.parametrize("progressive", [False, True])
def test_fill_bytes_before_a_marker_after_a_scan_keep_the_photo_on_the_fast_path(progressive):
    # 0xFF fill bytes may precede any marker; the scan's end is found at the last of them.
    original = _jpeg(progressive=progressive, exif=gps_exif(111.875, 34.747))
    end = _first_scan_end(original)
    upload = original[:end] + b"\xff\xff\xff" + original[end:]

    photo = process_photo(None, data=upload)

    assert strip_jpeg_metadata(upload) is not None  # stripped, not re-encoded
    assert 0xE1 not in _segments(photo.content)
    assert photo.content.endswith(b"\xff\xd9")
    assert _same_pixels(photo.content, original)
