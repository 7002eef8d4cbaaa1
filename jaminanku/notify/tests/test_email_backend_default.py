"""Which email backend the settings pick: the console in development (so `make run` shows codes without an SMTP
server), SMTP otherwise, and always what EMAIL_BACKEND says when it is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _backend(tmp_path: Path, **env: str) -> str:
    drop = {"EMAIL_BACKEND", "DEBUG", "JAMINANKU_ENV", "SECRET_KEY", "ALLOWED_HOSTS"}
    full = {k: v for k, v in os.environ.items() if k not in drop}
    full.update(JAMINANKU_VAR_DIR=str(tmp_path / "var"), **env)
    result = subprocess.run(
        [sys.executable, "-c", "import jaminanku.settings as s; print(s.EMAIL_BACKEND)"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_without_email_backend_prints_emails_to_the_console(tmp_path):
    assert _backend(tmp_path, DEBUG="1") == CONSOLE


@pytest.mark.parametrize(
    "env",
    [{}, {"DEBUG": "0"}, {"DEBUG": "1", "JAMINANKU_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "a"}],
)
def test_without_debug_the_default_stays_smtp(tmp_path, env):
    assert _backend(tmp_path, **env) == SMTP


def test_email_backend_from_the_environment_wins_even_in_debug(tmp_path):
    locmem = "django.core.mail.backends.locmem.EmailBackend"
    assert _backend(tmp_path, DEBUG="1", EMAIL_BACKEND=locmem) == locmem
