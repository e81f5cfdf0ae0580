"""`POST /{phone-number-id}/media`: what the Cloud API takes as an upload (Meta's "Upload Media" reference).

A multipart form with `messaging_product=whatsapp`, the `file` (its part's content type is the media's MIME
type) and optionally `type` (the MIME type again). Meta answers `{"id": "<media id>"}`, an id the number can
send by. Sizes are capped per kind as in Meta's "Supported media types" table.
"""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from inkline_sandbox.graph.errors import GraphRequestError, error_body, invalid_parameter

_MB = 1024 * 1024
# MIME type (without parameters such as `; codecs=opus`) -> the largest file Meta takes.
MAX_BYTES: dict[str, int] = {
    "image/jpeg": 5 * _MB,
    "image/png": 5 * _MB,
    "image/webp": 500 * 1024,
    "video/mp4": 16 * _MB,
    "video/3gpp": 16 * _MB,
    "audio/aac": 16 * _MB,
    "audio/amr": 16 * _MB,
    "audio/mpeg": 16 * _MB,
    "audio/mp4": 16 * _MB,
    "audio/ogg": 16 * _MB,
    "text/plain": 100 * _MB,
    "application/pdf": 100 * _MB,
    "application/msword": 100 * _MB,
    "application/vnd.ms-excel": 100 * _MB,
    "application/vnd.ms-powerpoint": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 * _MB,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 * _MB,
}


async def read_upload(form: FormData) -> tuple[bytes, str]:
    """The uploaded file's bytes and MIME type, or the Graph error Meta answers a bad upload with."""
    if form.get("messaging_product") != "whatsapp":
        raise invalid_parameter("The parameter messaging_product is required.")
    file = form.get("file")
    if not isinstance(file, UploadFile):
        raise invalid_parameter("The parameter file is required.")
    declared = form.get("type")
    mime_type = str(declared) if isinstance(declared, str) and declared else file.content_type or ""
    base_type = mime_type.split(";")[0].strip().lower()
    limit = MAX_BYTES.get(base_type)
    if limit is None:
        supported = ", ".join(sorted(MAX_BYTES))
        raise invalid_parameter(f"Param file must be a file with one of the following types: {supported}.")
    content = await file.read()
    if not content:
        raise invalid_parameter("Param file must not be empty.")
    if len(content) > limit:
        details = f"Media file size too big. Max file size for {base_type} is {limit} bytes."
        raise GraphRequestError(400, error_body(131053, "(#131053) Media upload error", details=details))
    return content, mime_type
