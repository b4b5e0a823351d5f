"""`make run` serves the portal where HOST and PORT say, and the links in its e-mails point there too
(read from `make -n`, which prints the commands without running them)."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def make_run(*variables: str) -> list[str]:
    """The commands `make run` would run with `variables`, in a shell without SITE_URL, HOST or PORT."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT", "MAKEFLAGS")}
    result = subprocess.run(
        ["make", "-n", "run", *variables], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.splitlines()


def serve_command(*variables: str) -> list[str]:
    (line,) = [line for line in make_run(*variables) if " runserver " in line]
    return shlex.split(line)


def environment_of(command: list[str]) -> dict[str, str]:
    """The VAR=value words in front of a command."""
    words = []
    for word in command:
        if "=" not in word:
            break
        words.append(word.split("=", 1))
    return dict(words)


def test_make_run_on_another_port_links_to_that_port_in_emails():
    command = serve_command("PORT=8101")

    assert command[-2:] == ["runserver", "127.0.0.1:8101"]
    assert environment_of(command)["SITE_URL"] == "http://127.0.0.1:8101"


def test_make_run_on_another_host_links_to_that_host_in_emails():
    command = serve_command("HOST=localhost", "PORT=8102")

    assert command[-1] == "localhost:8102"
    assert environment_of(command)["SITE_URL"] == "http://localhost:8102"


def test_make_run_keeps_a_site_url_given_on_the_command_line():
    command = serve_command("PORT=8101", "SITE_URL=https://placements.example.org")

    assert environment_of(command)["SITE_URL"] == "https://placements.example.org"


def test_every_command_of_make_run_sees_the_same_site_url():
    commands = [shlex.split(line) for line in make_run("PORT=8101") if "manage.py" in line]

    assert {environment_of(c).get("SITE_URL") for c in commands} == {"http://127.0.0.1:8101"}


def test_the_settings_make_run_starts_with_put_that_address_in_email_links(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        **environment_of(serve_command("PORT=8101")),
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )

    assert result.stdout.splitlines()[-1] == "http://127.0.0.1:8101"
