"""Fetching applications and documents scoped to the user who asks.

The applicant sees their own, a coordinator the ones of the programmes they coordinate, a superuser
everything. Anyone else gets a 404, never a 403: an outsider must not learn that something exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from applicants.models import Application, Document
from placements.catalogue.models import Programme


def _visible(user, prefix: str = "") -> Q | None:
    """The condition on `prefix`-ed application fields for what `user` may see (None: everything)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    # A subquery rather than a join on the coordinators, so that no row is repeated.
    coordinated = Programme.coordinators.through.objects.filter(user_id=user.pk).values("programme_id")
    return Q(**{f"{prefix}applicant_id": user.pk}) | Q(**{f"{prefix}programme_id__in": coordinated})


def _get_or_404(queryset: QuerySet, condition: Q | None, **lookup):
    if condition is not None:
        queryset = queryset.filter(condition)
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("No such page.") from None


def application_for_user(user, uuid, *, queryset: QuerySet | None = None) -> Application:
    """The application `uuid` if `user` may see it; Http404 otherwise.

    `queryset` lets a page add the select/prefetch it needs; the scope is applied on top of it.
    """
    queryset = queryset if queryset is not None else Application.objects.select_related("programme")
    return _get_or_404(queryset, _visible(user), uuid=uuid)


def document_for_user(user, uuid, *, queryset: QuerySet | None = None) -> Document:
    """The document `uuid` if `user` may see its application; Http404 otherwise."""
    queryset = queryset if queryset is not None else Document.objects.select_related("application")
    return _get_or_404(queryset, _visible(user, prefix="application__"), uuid=uuid)


def staff_programmes(user) -> QuerySet[Programme]:
    """The programmes whose applications `user` works on as staff (all of them for a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(coordinators=user)


def staff_programme_ids(user) -> list[int]:
    """The ids of `staff_programmes(user)` in order, read from the coordinators table alone."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    coordinators = Programme.coordinators.through.objects.filter(user_id=user.pk)
    return list(coordinators.order_by("programme_id").values_list("programme_id", flat=True))


def is_staff_user(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or staff_programmes(user).exists()))


def staff_application_for_user(user, uuid, *, queryset: QuerySet | None = None) -> Application:
    """The application `uuid` for a coordinator of its programme or a superuser; Http404 for anyone
    else, its own applicant included (staff pages show reviews and internal notes)."""
    queryset = queryset if queryset is not None else Application.objects.select_related("programme")
    condition = None
    if not (user.is_authenticated and user.is_superuser):
        condition = Q(programme__in=staff_programmes(user).values("pk"))
    return _get_or_404(queryset, condition, uuid=uuid)
