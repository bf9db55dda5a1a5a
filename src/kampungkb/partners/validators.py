"""The MoU document: a PDF, JPEG or PNG of at most 10 MB, recognised by its first bytes (a
renamed file of another kind is refused, whatever its extension)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from kampungkb.partners.errors import MouProblem

MAX_DOCUMENT_MB = 10
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024

# First bytes -> (extension, content type)
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
CONTENT_TYPES = {ext: content_type for _sig, ext, content_type in SIGNATURES}


def document_kind(head: bytes) -> str | None:
    """The extension of a document whose content starts with ``head``, or None."""
    for signature, ext, _type in SIGNATURES:
        if head.startswith(signature):
            return ext
    return None


def validate_document(document: UploadedFile) -> str:
    """The document's extension by its content; a bilingual error on the ``document`` field when
    it is too large or of another kind."""
    size = document.size or 0
    if size > MAX_DOCUMENT_BYTES:
        shown = f"{size / 1024 / 1024:.1f}"
        raise MouProblem.DOCUMENT_SIZE.on("document", size=shown, limit=MAX_DOCUMENT_MB)
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    kind = document_kind(head)
    if kind is None:
        raise MouProblem.DOCUMENT_TYPE.on("document")
    return kind
