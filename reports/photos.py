"""Validation and processing of uploaded photos, before anything is stored.

A photo is accepted only when it is a JPEG, PNG, WebP or HEIC/HEIF file of at most 10 MB that decodes
completely and has at most MAX_PIXELS pixels. What we store is a re-encoded JPEG, turned upright by
its EXIF orientation and carrying no metadata at all (no EXIF, no GPS, no maker notes): residents'
phones write their position and device into every photo, and that must not reach the public map.
The GPS position is read before it is thrown away, so a report can be placed from its first photo.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

import pillow_heif
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from reports.errors import SubmissionError

pillow_heif.register_heif_opener()

MAX_PHOTOS = 9
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# 40 megapixels: more than any phone camera; a 30000x30000 PNG (900 MP, a few KB compressed) would
# need gigabytes of memory to decode.
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}  # MPO: JPEGs with a depth map (phones)
# Stored copies are at most this long on their longer side; the browser already sends ≤1600 px.
STORED_MAX_SIDE = 2048
STORED_QUALITY = 85
THUMBNAIL_SIDE = 320

# Pillow raises its own DecompressionBombError only at twice its limit; ours is explicit and lower.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_GPS_IFD = 0x8825
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class ProcessedPhoto:
    """A photo ready to be stored: `content` is the clean JPEG, `sha256` hashes the upload."""

    content: bytes
    sha256: str
    width: int
    height: int
    gps: tuple[float, float] | None  # (lon, lat), WGS-84 as phones record it


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, raw bytes, or a file-like object; refuses >10 MB early."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_PHOTO_BYTES:
            raise _too_large()
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise _too_large()
    if not data:
        raise SubmissionError(_("照片文件是空的。"), field="photos", code="empty_photo")
    return data


def _too_large() -> SubmissionError:
    return SubmissionError(
        _("每张照片不能超过 10 MB，请压缩后重新选择。"), field="photos", code="photo_too_large"
    )


def _not_an_image() -> SubmissionError:
    return SubmissionError(
        _("无法识别照片，请上传 JPEG、PNG、WebP 或 HEIC 格式的图片。"),
        field="photos",
        code="not_an_image",
    )


def _too_many_pixels() -> SubmissionError:
    return SubmissionError(
        _("照片像素过大（超过 4000 万像素），请缩小后重新上传。"),
        field="photos",
        code="too_many_pixels",
    )


def _rational(value) -> float:
    if isinstance(value, tuple):  # (numerator, denominator) in old-style EXIF
        return value[0] / value[1] if value[1] else 0.0
    return float(value)


def _dms(values, ref) -> float | None:
    try:
        degrees, minutes, seconds = (_rational(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper() in ("S", "W"):
        result = -result
    return result


def gps_from_exif(image: Image.Image) -> tuple[float, float] | None:
    """(lon, lat) from the GPS IFD of the image's EXIF, or None when absent or implausible."""
    try:
        gps = image.getexif().get_ifd(_GPS_IFD)
    except Exception:  # corrupt EXIF must not refuse an otherwise good photo
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat = _dms(gps[2], gps.get(1, "N"))
    lon = _dms(gps[4], gps.get(3, "E"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if lat == 0 and lon == 0:
        return None
    return (lon, lat)


def _open_checked(data: bytes) -> Image.Image:
    """Open and fully decode, refusing non-images, other formats, bombs and truncated files."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise _not_an_image()
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.load()  # a truncated file fails here (LOAD_TRUNCATED_IMAGES stays False)
    except SubmissionError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… for broken input
        raise SubmissionError(
            _("照片文件已损坏或不完整，请重新拍摄或选择。"), field="photos", code="broken_photo"
        ) from None
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _encode_jpeg(image: Image.Image, *, quality: int) -> bytes:
    # A fresh info dict: nothing from the original (EXIF, XMP, ICC, comments) is written back.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=False, exif=b"")
    return out.getvalue()


def process_photo(upload, *, data: bytes | None = None) -> ProcessedPhoto:
    """Validate one photo and make its clean stored copy. Raises SubmissionError(field="photos")."""
    if data is None:
        data = read_upload(upload)
    digest = hashlib.sha256(data).hexdigest()
    image = _open_checked(data)
    gps = gps_from_exif(image)
    if image.getexif().get(_ORIENTATION, 1) in range(2, 9):
        # Only when the phone says so: exif_transpose copies the whole image even when upright.
        image = ImageOps.exif_transpose(image)
    image = _to_rgb(image)
    if max(image.size) > STORED_MAX_SIDE:
        image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE), Image.Resampling.LANCZOS)
    content = _encode_jpeg(image, quality=STORED_QUALITY)
    return ProcessedPhoto(
        content=content, sha256=digest, width=image.width, height=image.height, gps=gps
    )


def process_photos(uploads, *, required: bool = True) -> list[ProcessedPhoto]:
    """Validate a report's photos: 1 to 9 (0 allowed when not required); duplicates kept once."""
    uploads = list(uploads or [])
    if not uploads and required:
        raise SubmissionError(_("请至少上传一张照片。"), field="photos", code="no_photo")
    if len(uploads) > MAX_PHOTOS:
        raise SubmissionError(_("最多上传 9 张照片。"), field="photos", code="too_many_photos")
    processed: list[ProcessedPhoto] = []
    seen: set[str] = set()
    for upload in uploads:
        data = read_upload(upload)
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:  # the same photo chosen twice is stored once
            continue
        seen.add(digest)
        processed.append(process_photo(upload, data=data))
    return processed


def make_thumbnail(content: bytes) -> bytes:
    """A small JPEG for lists and the map (made by a Celery task after commit)."""
    image = Image.open(io.BytesIO(content))
    image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # decode a JPEG at reduced scale: fast
    image = _to_rgb(image)
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return _encode_jpeg(image, quality=80)
