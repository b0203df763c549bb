"""Validated uploads: session photos and the signed agreement (a photo or a PDF).

Photos go through reports' processing (re-encoded JPEG, EXIF and GPS removed). A PDF is kept as
sent after a structural check: the header, an end-of-file marker, the size, and no embedded
JavaScript or launch actions, since staff open it in their browser.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.errors import SubmissionError
from reports.photos import MAX_PHOTO_BYTES, process_photo

MAX_PDF_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
JPEG = "image/jpeg"


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    sha256: str
    extension: str
    content_type: str


def clean_photo(upload, *, field: str = "photos") -> CleanFile:
    try:
        photo = process_photo(upload)
    except SubmissionError as exc:
        raise SubmissionError(exc.message, field=field, code=exc.code) from None
    return CleanFile(photo.content, hashlib.sha256(photo.content).hexdigest(), "jpg", JPEG)


def _read(upload, limit: int) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(limit + 1)


def clean_agreement_file(upload, *, field: str = "agreement_file") -> CleanFile:
    data = _read(upload, max(MAX_PDF_BYTES, MAX_PHOTO_BYTES))
    if not data:
        raise SubmissionError(_("文件是空的。"), field=field, code="empty_file")
    if data.startswith(b"%PDF-"):
        if len(data) > MAX_PDF_BYTES:
            raise SubmissionError(_("PDF 文件不能超过 10 MB。"), field=field, code="too_large")
        if b"%%EOF" not in data[-2048:]:
            raise SubmissionError(_("PDF 文件不完整，请重新上传。"), field=field, code="bad_pdf")
        if b"/JavaScript" in data or b"/Launch" in data:
            raise SubmissionError(
                _("PDF 文件含有脚本，不能接收，请扫描或拍照后上传。"), field=field, code="bad_pdf"
            )
        return CleanFile(data, hashlib.sha256(data).hexdigest(), "pdf", PDF)
    try:
        return clean_photo(data, field=field)
    except SubmissionError:
        raise SubmissionError(
            _("请上传协议的照片（JPEG、PNG、HEIC）或 PDF 文件。"), field=field, code="bad_file"
        ) from None
