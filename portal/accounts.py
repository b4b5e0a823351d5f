"""Questions about a person's account that other parts of the portal ask."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    """Whether the address the portal writes to (the user's login e-mail) has been confirmed."""
    if user is None or not user.is_authenticated or not user.email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
