"""A body larger than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) gets the API's JSON error, 413
`request_too_large`, whether DEBUG is on (`make run`) or off (production), as JSON and as a form."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db
TEN_MB = 10 * 1024 * 1024


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("kind", ["json", "form"])
def test_a_ten_megabyte_body_gets_a_json_413(client, settings, debug, kind):
    settings.DEBUG = debug
    if kind == "json":
        body = json.dumps({"email": "a" * TEN_MB + "@example.com"})
        response = client.post("/api/v1/signup/", body, content_type="application/json")
    else:
        response = client.post("/api/v1/signup/", {"email": "a" * TEN_MB + "@example.com"})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "request_too_large", "message": "Isi permintaan terlalu besar.", "field": None}


def test_the_message_is_translated(client):
    body = json.dumps({"email": "a" * TEN_MB})
    response = client.post("/api/v1/signup/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "The request body is too large."
