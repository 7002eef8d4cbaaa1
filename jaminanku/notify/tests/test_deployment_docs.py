"""The production guide names the worker and the housekeeping command, and both answer --help as written."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "deployment.md"


def test_the_readme_links_the_deployment_guide():
    assert "(docs/deployment.md)" in (ROOT / "README.md").read_text()


def test_every_manage_command_in_the_guide_exists():
    from django.core.management import get_commands

    named = set(re.findall(r"manage\.py ([a-z_]+)", GUIDE.read_text()))
    assert {"deliver_messages", "purge_signups"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


@pytest.mark.parametrize(
    ("command", "expected"), [("deliver_messages", ["--loop", "--interval", "--limit"]), ("purge_signups", [])]
)
def test_the_documented_commands_answer_help(command, expected):
    result = subprocess.run(
        [sys.executable, "manage.py", command, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert f"manage.py {command}" in result.stdout and all(option in result.stdout for option in expected)
    assert all(option in GUIDE.read_text() for option in expected)
