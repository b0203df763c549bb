"""Small helpers shared by the reports tests (fixtures live in conftest.py)."""

import functools
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import Event, Photo, Report
from tests.reports.conftest import files_under, jpeg_bytes


def upload(data: bytes | None = None, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type)


def form_data(leaf, where, /, **extra) -> dict:
    data = {
        "category": leaf.code,
        "lon": str(where[0]),
        "lat": str(where[1]),
        "description": "路灯不亮",
        "photos": [upload()],
    }
    data.update(extra)
    return data


def nothing_saved(media_root) -> bool:
    return (
        Report.objects.count() == 0
        and Photo.objects.count() == 0
        and Event.objects.count() == 0
        and files_under(media_root) == []
    )


@functools.cache
def huge_png(side: int = 30000) -> bytes:
    """A valid black 30000x30000 1-bit PNG: ~110 KB on disk, 900 megapixels decoded.

    Written chunk by chunk (Pillow would need the whole image in memory to save it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + side // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
