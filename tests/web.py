"""Requests and responses in tests: a client from its own address, a streamed body, the messages shown."""

import uuid

from django.contrib.messages import get_messages


def random_ip() -> str:
    """An address no other test uses: allauth counts sign-in attempts per IP in the shared Redis."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def body_of(response) -> bytes:
    """A streamed response's body; reading it to the end also closes it, the test client's way (a
    second close() would fire request_finished and close the test's database connection)."""
    return b"".join(response.streaming_content)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]
