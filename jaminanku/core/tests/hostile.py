"""Hostile text a member (or a script) could type into any field, shared by the page and API bad-input tables."""

SCRIPT = "<script>alert(1)</script>"

HOSTILE_TEXT: dict[str, str] = {
    "oversize": "x" * 10_000,
    "empty": "",
    "whitespace only": " \t\u00a0 ",
    "emoji": "👩🏽‍💻🇮🇩",
    "RTL": "\u202eمرحبا بالعالم שלום",
    "combining marks": "Z\u0351\u0352\u0353a\u0300\u0301\u0302",
    "NUL byte": "abc\x00def",
    "SQL": "' OR 1=1 --",
    "HTML/script": SCRIPT,
}
