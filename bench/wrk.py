"""Runs wrk (Debian's package) against a URL with a Lua script that sends each request with a random member's
bearer token, and reads back requests/s and the latency percentiles."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local path = os.getenv("BENCH_PATH")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]})
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    clients: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    assert found, text
    return float(found.group(1)) * UNITS[found.group(2)]


def run_wrk(url: str, path: str, tokens: list[str], *, clients: int, seconds: int) -> Load:
    with tempfile.TemporaryDirectory() as tmp:
        script, token_file = Path(tmp) / "tokens.lua", Path(tmp) / "tokens.txt"
        script.write_text(SCRIPT)
        token_file.write_text("\n".join(tokens) + "\n")
        env = {**os.environ, "BENCH_TOKENS": str(token_file), "BENCH_PATH": path}
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(clients, 2)),
                "-c",
                str(clients),
                "-d",
                f"{seconds}s",
                "--latency",
                "-s",
                str(script),
                url,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in percentiles:
        raise RuntimeError(f"wrk gave no latency figures:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?timeout)\D*(\d+)", out))
    return Load(
        clients=clients,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        errors=errors,
    )
