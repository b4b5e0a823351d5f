"""Public pages reached only through a secret in their URL (a certificate's or a confirmation's
verification code): kept out of search engines, and the secret kept out of the Referer of any link
followed from them."""

from functools import wraps


def unlisted(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper
