"""Production settings pass Django's deployment checklist; local settings need nothing set."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _clean_env(tmp_path: Path) -> dict[str, str]:
    drop = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "JAMINANKU_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE", "CARD_SIGNING_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["JAMINANKU_VAR_DIR"] = str(tmp_path / "var")
    return env


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = _clean_env(tmp_path)
    card_key = _manage("make_card_key", "--print", env=env).stdout  # once per installation (docs/deployment.md)
    env.update(JAMINANKU_ENV="production", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="jaminanku.example")
    env["CARD_SIGNING_KEY"] = card_key
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = _clean_env(tmp_path)
    env.update(JAMINANKU_ENV="production", ALLOWED_HOSTS="jaminanku.example")
    result = _manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_local_mode_generates_a_secret_key_once_under_var(tmp_path):
    env = _clean_env(tmp_path)
    assert _manage("check", env=env).returncode == 0
    key_file = tmp_path / "var" / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50 and oct(key_file.stat().st_mode)[-3:] == "600"
    assert _manage("check", env=env).returncode == 0
    assert key_file.read_text() == first


@pytest.mark.django_db
def test_money_and_dates_display_in_indonesian_style(client):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        rendered = Template("{{ amount|rupiah }} {{ day|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"amount": 1234567, "day": __import__("datetime").date(2026, 1, 12)})
        )
    assert rendered == "Rp 1.234.567 12/01/2026"
