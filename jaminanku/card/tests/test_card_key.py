"""The card signing key: `make run` and any local use make one under var/ on first use and keep it, as they do
var/secret_key; production never makes one, and `manage.py check --deploy` fails without it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PUBLIC_KEY = (
    "import django; django.setup(); from jaminanku.card.signing import public_key_pem; print(public_key_pem().decode())"
)


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    """This machine's environment as `make run` sees it: nothing of the card key, a var/ of its own."""
    drop = {
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "JAMINANKU_ENV",
        "CARD_SIGNING_KEY",
        "CARD_SIGNING_KEY_FILE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(JAMINANKU_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="jaminanku.settings", **extra)
    return env


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _production(var_dir: Path, **extra: str) -> dict[str, str]:
    return _env(
        var_dir,
        JAMINANKU_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="jaminanku.example",
        **extra,
    )


def test_local_use_makes_one_card_key_under_var_and_keeps_it(tmp_path):
    var_dir = tmp_path / "var"
    first = _run("-c", PUBLIC_KEY, env=_env(var_dir, DEBUG="1"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    key_file = var_dir / "card-signing-key.pem"
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    again = _run("-c", PUBLIC_KEY, env=_env(var_dir, DEBUG="1"))
    assert again.returncode == 0 and again.stdout == first.stdout  # cards signed before still verify
    assert [p.name for p in var_dir.iterdir() if "card" in p.name] == ["card-signing-key.pem"]  # no drafts left


def test_production_without_a_card_key_fails_the_deployment_check_and_makes_none(tmp_path):
    var_dir = tmp_path / "var"
    result = _run("manage.py", "check", "--deploy", env=_production(var_dir))
    assert result.returncode != 0
    assert "card.E001" in result.stderr and "No card signing key" in result.stderr, result.stderr
    assert not (var_dir / "card-signing-key.pem").exists()


def test_production_with_an_unreadable_card_key_fails_the_deployment_check(tmp_path):
    result = _run("manage.py", "check", "--deploy", env=_production(tmp_path / "var", CARD_SIGNING_KEY="not a key"))
    assert result.returncode != 0 and "card.E001" in result.stderr, result.stderr


def test_production_passes_with_the_key_that_make_card_key_prints(tmp_path):
    printed = _run("manage.py", "make_card_key", "--print", env=_env(tmp_path / "local"))
    assert printed.returncode == 0, printed.stderr
    env = _production(tmp_path / "var", CARD_SIGNING_KEY=printed.stdout)
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
