"""Receivers: every sign-in event goes to the security log, and a sign-in prepares the session
(staff role, authenticator app, idle timeout) so that later requests need no extra query."""

import logging

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.security.audit import log_event
from portal.security.mfa import TOTP_SESSION_KEY, forget_totp, has_totp
from portal.security.roles import remember_role
from portal.security.sessions import start_staff_session


def _is_own(request, user) -> bool:
    return request is not None and getattr(request, "user", None) is not None and request.user.pk == user.pk


@receiver(user_logged_in, dispatch_uid="security-login")
def on_login(sender, request, user, **kwargs):
    log_event("login_succeeded", request, user=user)
    if request is None or not hasattr(request, "session"):
        return
    if remember_role(request, user):
        has_totp(request, user)
        start_staff_session(request)


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("login") or credentials.get("username")
    log_event("login_failed", request, login=login, level=logging.WARNING)


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    log_event("login_locked_out", request, login=username, level=logging.WARNING)


@receiver(user_logged_out, dispatch_uid="security-logout")
def on_logout(sender, request, user, **kwargs):
    log_event("logout", request, user=user)


@receiver(account_signals.password_changed, dispatch_uid="security-password-changed")
def on_password_changed(sender, request, user, **kwargs):
    log_event("password_changed", request, user=user)


@receiver(account_signals.password_reset, dispatch_uid="security-password-reset")
def on_password_reset(sender, request, user, **kwargs):
    # The lockout page offers a reset as the way back in: only the mailbox's owner gets this far.
    cleared = axes_reset(username=user.email.lower())
    log_event("password_reset", request, user=user, lockouts_cleared=cleared)


@receiver(mfa_signals.authenticator_added, dispatch_uid="security-mfa-added")
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    log_event("mfa_activated", request, user=user, type=authenticator.type)
    if authenticator.type == Authenticator.Type.TOTP and _is_own(request, user):
        request.session[TOTP_SESSION_KEY] = user.pk


@receiver(mfa_signals.authenticator_removed, dispatch_uid="security-mfa-removed")
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    log_event("mfa_deactivated", request, user=user, type=authenticator.type, level=logging.WARNING)
    if authenticator.type == Authenticator.Type.TOTP and _is_own(request, user):
        forget_totp(request)


@receiver(mfa_signals.authenticator_reset, dispatch_uid="security-mfa-reset")
def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    log_event("mfa_recovery_codes_regenerated", request, user=user, type=authenticator.type)


@receiver(mfa_signals.authenticator_used, dispatch_uid="security-mfa-used")
def on_authenticator_used(sender, request, user, authenticator, **kwargs):
    log_event("mfa_code_accepted", request, user=user, type=authenticator.type)


@receiver(mfa_signals.authentication_failed, dispatch_uid="security-mfa-failed")
def on_mfa_failed(sender, request, user, **kwargs):
    log_event("mfa_code_refused", request, user=user, level=logging.WARNING)
