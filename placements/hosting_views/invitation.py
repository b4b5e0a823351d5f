"""The invitee's page: follow the link from the e-mail, set a password, then the authenticator app."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from placements.hosting.invitations import InvitationInvalid, invitation_accept, invitation_user
from placements.hosting_views.forms import AcceptInvitationForm


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """Anyone holding the link may set the invitee's password once; an expired or used link says so."""
    try:
        user = invitation_user(token)
    except InvitationInvalid:
        return render(request, "hosting/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except InvitationInvalid:
            return render(request, "hosting/invitation_invalid.html", status=404)
        messages.success(request, _("Your password is set. Now set up the second sign-in step."))
        # Signed in as after a password sign-in (they just typed it, so setting up the app does not ask
        # for it again); the two-factor rule then sends them to set up the app.
        response = perform_login(request, user, redirect_url=reverse("hosting:placements"))
        record_authentication(request, user, method="password", email=user.email, reauthenticated=True)
        return response
    status = 400 if form.is_bound else 200
    return render(request, "hosting/invitation.html", {"form": form, "invitee": user}, status=status)
