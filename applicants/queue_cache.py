"""The review queue kept whole in the cache, per coordinator, until something it shows changes.

A coordinator opens the queue dozens of times an hour (back from an application, the next page,
the same filter again) and most of those times nothing in it has changed. Each programme has a
queue version (portal.page_cache); a rendered queue page is served again only while the versions of
the coordinator's programmes and of the catalogue (titles, departments) are still those it was
rendered at, and it is stored under a key made of:

- who asks and what their layout shows (user, e-mail address, staff flags), their CSRF secret (the
  page carries forms with a token made from it) and their language;
- the exact URL and whether htmx asked for the results only.

The versions are bumped by the signals below whenever a row of the queue could read differently:
an application (status, dates, scores, reference) saved or deleted, one of its components, an
automatic check of its documents (the warning mark), or the name or e-mail address of its applicant.
Code that changes these with QuerySet.update() or bulk_create() must call `programmes_changed`
itself (signals do not see it). A page is never stored with a pending message, without a CSRF cookie
(its token would be a new one each time) or when it is not a 200; and it expires after a few
minutes whatever happens.
"""

import hashlib

from django.db.models.signals import post_delete, post_save

from applicants.enums import ApplicationStatus
from placements.catalogue.public_cache import VERSION_KEY as CATALOGUE_VERSION
from portal import page_cache

TIMEOUT = 5 * 60
# Saves that change nothing a queue shows (a sign-in writes last_login).
QUIET_USER_FIELDS = frozenset({"last_login", "password"})


def version_key(programme_id: int) -> str:
    return f"queue:programme:{programme_id}"


def programmes_changed(programme_ids) -> None:
    page_cache.bump(*(version_key(pk) for pk in sorted(set(programme_ids))))


def _page_key(request, scope: list[int]) -> str:
    user = request.user
    parts = (
        user.pk,
        user.email,
        user.is_staff,
        user.is_superuser,
        request.META["CSRF_COOKIE"],
        getattr(request, "LANGUAGE_CODE", ""),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        tuple(scope),
    )
    return "queue:page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_page(request, programme_ids, render):
    """The queue page of `request` from the cache when the same person asked for it since the last
    change to the programmes `programme_ids` (their whole scope), else `render()` stored. The scope
    is part of the key: a page stored as a 200 is served only to someone with the same scope, who
    would get the same page (an out-of-scope filter is a 404, never stored)."""
    secret = request.META.get("CSRF_COOKIE")
    if request.method != "GET" or not secret or page_cache.has_pending_messages(request):
        return render()

    def unchanged_secret() -> bool:
        return request.META.get("CSRF_COOKIE") == secret  # not replaced by a new one while rendering

    scope = sorted(programme_ids)
    versions = [CATALOGUE_VERSION, *(version_key(pk) for pk in scope)]
    return page_cache.cached_response(_page_key(request, scope), versions, TIMEOUT, render, keep=unchanged_secret)


# What bumps the versions.


def _application_saved(sender, instance, **kwargs) -> None:
    # Drafts are not in any queue, and no application ever goes back to being a draft.
    if instance.status != ApplicationStatus.DRAFT:
        programmes_changed([instance.programme_id])


def _component_saved(sender, instance, **kwargs) -> None:
    from applicants.models import Application

    programmes_changed(Application.objects.filter(pk=instance.application_id).values_list("programme_id", flat=True))


def _check_saved(sender, instance, **kwargs) -> None:
    from applicants.models import Application

    programmes_changed(
        Application.objects.filter(documents__pk=instance.document_id).values_list("programme_id", flat=True)
    )


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    from applicants.models import Application

    if kwargs.get("created") or (update_fields and set(update_fields) <= QUIET_USER_FIELDS):
        return
    submitted = Application.objects.filter(applicant_id=instance.pk).exclude(status=ApplicationStatus.DRAFT)
    programmes_changed(submitted.values_list("programme_id", flat=True).distinct())


def connect_signals() -> None:
    from django.contrib.auth import get_user_model

    from applicants.models import Application, ApplicationComponent, DocumentCheck

    receivers = [
        (_application_saved, Application),
        (_component_saved, ApplicationComponent),
        (_check_saved, DocumentCheck),
    ]
    for receiver, model in receivers:
        post_save.connect(receiver, sender=model, dispatch_uid=f"queue-save-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"queue-delete-{model.__name__}")
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="queue-save-user")
