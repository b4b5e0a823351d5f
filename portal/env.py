"""Strict readers for configuration taken from the environment.

A value that cannot be understood stops the process at start-up with a message that names the
variable, instead of silently falling back to a default.
"""

import os
from urllib.parse import urlparse, urlunparse

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, *, schemes: set[str]) -> str:
    """Return the URL in `name`, or "" when it is unset; refuse an unknown scheme or no host."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must start with one of {allowed}, not {raw!r}.")
    if parsed.scheme not in {"sqlite"} and not parsed.hostname:
        raise ImproperlyConfigured(f"{name} has no host name: {raw!r}.")
    return raw


def next_redis_database(url: str) -> str:
    """The Redis URL `url` with the next database number (0 after 15, the last of Redis's default 16)."""
    parsed = urlparse(url)
    current = parsed.path.strip("/")
    number = (int(current) + 1) % 16 if current.isdigit() else 1
    return urlunparse(parsed._replace(path=f"/{number}"))


def email_settings(name: str) -> dict[str, object]:
    """Translate an e-mail URL into Django settings.

    smtp://user:pass@host:25, smtp+tls://...:587 (STARTTLS), smtps://...:465 (implicit TLS),
    console:// (print to the terminal), locmem:// (kept in memory, for tests).
    """
    raw = os.environ.get(name, "").strip() or "console://"
    parsed = urlparse(raw)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    if parsed.scheme in backends:
        return {"EMAIL_BACKEND": backends[parsed.scheme]}
    if parsed.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtp+tls://, smtps://, console:// or locmem://, not {raw!r}."
        )
    if not parsed.hostname:
        raise ImproperlyConfigured(f"{name} has no host name: {raw!r}.")
    try:
        port = parsed.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port: {raw!r}.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parsed.scheme],
        "EMAIL_HOST_USER": parsed.username or "",
        "EMAIL_HOST_PASSWORD": parsed.password or "",
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_TIMEOUT": 20,
    }
