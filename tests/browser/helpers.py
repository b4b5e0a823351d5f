"""Signing in through the browser, the way a person does: address, password, then the code of the
authenticator app for staff."""

from tests.factories import PASSWORD
from tests.totp import totp_code


def sign_in(page, base_url: str, email: str, password: str = PASSWORD, *, totp_secret: str | None = None) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        for _attempt in range(2):  # a code typed at the turn of its 30-second window may be refused
            page.locator("input[name=code]").fill(totp_code(totp_secret))
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            if "/accounts/2fa/authenticate/" not in page.url:
                break
    page.wait_for_load_state()
