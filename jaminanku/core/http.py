"""A file answer (PDF, PNG, calendar) for the pages and the API alike: private, with a download name."""

from __future__ import annotations

from django.http import HttpResponse


def file_response(
    body: bytes, content_type: str, filename: str, *, attachment: bool = True, cache: str = "private, no-store"
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = cache
    return response
