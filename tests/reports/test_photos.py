"""Photo validation and processing (reports/photos.py), below the HTTP tests of bad input."""

import io

import pytest
from PIL import Image

from reports.errors import SubmissionError
from reports.photos import process_photo, process_photos
from tests.reports.conftest import gps_exif, jpeg_bytes, png_bytes


def encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF"])
def test_png_webp_and_heic_photos_are_accepted_and_stored_as_jpeg(fmt):
    photo = process_photo(encode(Image.new("RGB", (64, 48), (30, 60, 90)), fmt))
    stored = Image.open(io.BytesIO(photo.content))
    assert stored.format == "JPEG" and stored.size == (64, 48)


def test_transparent_png_is_flattened_on_white():
    photo = process_photo(png_bytes(color=(0, 0, 0, 0)))
    assert Image.open(io.BytesIO(photo.content)).getpixel((10, 10)) == (255, 255, 255)


def test_gif_is_refused_even_though_pillow_reads_it():
    gif = encode(Image.new("P", (10, 10)), "GIF")
    with pytest.raises(SubmissionError) as info:
        process_photo(gif)
    assert info.value.code == "not_an_image"


def test_gps_is_read_from_exif_southern_and_western_too():
    photo = process_photo(jpeg_bytes(exif=gps_exif(-70.5, -33.25)))
    assert photo.gps == pytest.approx((-70.5, -33.25), abs=1e-5)


def test_very_large_photos_are_downscaled_for_storage():
    photo = process_photo(jpeg_bytes(size=(4000, 3000)))
    assert max(photo.width, photo.height) == 2048


def test_no_photos_are_allowed_only_when_not_required():
    assert process_photos([], required=False) == []
    with pytest.raises(SubmissionError):
        process_photos([], required=True)
