"""The language a page is shown in: English or Dutch, as the person chose.

- A visitor's first page follows the browser's Accept-Language (LocaleMiddleware); the switcher in
  the page frame posts to `set_language`, which keeps the choice in Django's language cookie.
- A signed-in person's choice is kept on their account (`User.language`, also the language of the
  e-mail they receive): the switcher saves it there, a new account starts in the language its
  sign-up page was shown in, and signing in makes it the active language again (and the cookie's).
  While signed in, the account's language is the one in force, so a change on the profile page
  shows on the next page (`AccountLanguageMiddleware`).
"""

from allauth.account.signals import user_logged_in, user_signed_up
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from portal.models import User

LANGUAGES = frozenset(User.Language.values)


def remember_in_cookie(response: HttpResponse, language: str) -> None:
    """The language cookie as Django's set_language writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _activate(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _save_on_account(user: User, language: str) -> None:
    if language in LANGUAGES and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@csrf_protect
def _set_for_account(request: HttpRequest) -> HttpResponse:
    response = i18n.set_language(request)
    _save_on_account(request.user, request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, ""))
    return response


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, then back to `next`), and for a signed-in person the
    account's language too. A visitor's form carries no CSRF token: visitors' catalogue pages are
    kept whole in the cache and served to everyone, so a token in them would hand one visitor's
    secret to all; and another site that switches a visitor's language does no more than a link
    to the page in that language would. A signed-in person's form carries one and is checked."""
    if request.user.is_authenticated:
        return _set_for_account(request)
    return i18n.set_language(request)


class AccountLanguageMiddleware:
    """While signed in, the account's language is the active one (and the cookie's), whatever the
    cookie or the browser says; after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language in LANGUAGES and user.language != translation.get_language():
            _activate(request, user.language)
        response = self.get_response(request)
        # Read again: the page may have changed it (the profile), or signed the person out.
        language = user.language if user.is_authenticated and request.user is user else None
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language in LANGUAGES and request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            remember_in_cookie(response, language)
        return response


def keep_sign_up_language(sender, request, user, **kwargs) -> None:
    """A new account starts in the language its sign-up page was shown in."""
    _save_on_account(user, translation.get_language() or "")


def restore_account_language(sender, request, user, response=None, **kwargs) -> None:
    """Signing in makes the account's language the active one: for the rest of this request (the
    "signed in" message) and, through the cookie, after signing out again."""
    if user.language not in LANGUAGES:
        return
    if request is not None:
        _activate(request, user.language)
    if response is not None:
        remember_in_cookie(response, user.language)


def connect_signals() -> None:
    user_signed_up.connect(keep_sign_up_language, dispatch_uid="language-sign-up")
    user_logged_in.connect(restore_account_language, dispatch_uid="language-sign-in")
