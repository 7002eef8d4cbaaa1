"""The JSON error every API operation answers with (the shape the handlers in `jaminanku/api/urls.py` write), and
`errors(...)` to declare in a router's `response=` which error statuses an operation can answer."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    code: str = Field(description="stable, for machines: e.g. invalid_input, unauthenticated, not_found, rate_limited")
    message: str = Field(description="for people, in the language asked for")
    field: str | None = Field(None, description="the input the error is about, when there is one")
    errors: list[dict[str, Any]] | None = Field(None, description="422 only: what was wrong with each input")


# What each status means here: 400 a rule of the domain said no; 401 no valid token or session; 403 the account
# is not a member's; 404 what the path names does not exist (or is someone else's); 409 taken meanwhile (a full
# slot); 413 the body is larger than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE), on any operation; 422 the input
# does not fit the schema; 429 too many attempts, try later.
def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(statuses, ErrorOut)
