"""Fetching applications and documents scoped to the user who asks.

The applicant sees their own, a coordinator the submitted ones of the programmes they coordinate, a
superuser every submitted one. A draft is its applicant's alone until it is submitted: no
coordinator or admin sees it, its documents or anything made from it. Anyone else gets a 404, never
a 403: an outsider must not learn that something exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from applicants.enums import ApplicationStatus
from applicants.models import Application, Document
from placements.catalogue.models import Programme


def _submitted(prefix: str = "") -> Q:
    """The condition on `prefix`-ed application fields for an application staff may see: not a draft."""
    return ~Q(**{f"{prefix}status": ApplicationStatus.DRAFT})


def _visible(user, prefix: str = "") -> Q:
    """The condition on `prefix`-ed application fields for what `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    own = Q(**{f"{prefix}applicant_id": user.pk})
    if user.is_superuser:
        return own | _submitted(prefix)
    # A subquery rather than a join on the coordinators, so that no row is repeated.
    coordinated = Programme.coordinators.through.objects.filter(user_id=user.pk).values("programme_id")
    return own | (_submitted(prefix) & Q(**{f"{prefix}programme_id__in": coordinated}))


def _get_or_404(queryset: QuerySet, condition: Q, **lookup):
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


def _staff_scope(user) -> Q:
    if user.is_authenticated and user.is_active and user.is_superuser:
        return _submitted()
    return _submitted() & Q(programme__in=staff_programmes(user).values("pk"))


def staff_applications(user) -> QuerySet[Application]:
    """The applications `user` works on as staff: the submitted ones of their programmes (of every
    programme for a superuser); never a draft."""
    return Application.objects.filter(_staff_scope(user))


def staff_application_for_user(
    user, uuid, *, queryset: QuerySet | None = None, scope: list[int] | None = None
) -> Application:
    """The submitted application `uuid` for a coordinator of its programme or a superuser; Http404 for
    a draft and for anyone else, its own applicant included (staff pages show reviews and internal notes).

    `scope`: the ids of `staff_programmes(user)`, when the page's staff check has read them in this
    request (the lookup then needs no subquery on the coordinators)."""
    queryset = queryset if queryset is not None else Application.objects.select_related("programme")
    condition = _staff_scope(user) if scope is None else _submitted() & Q(programme_id__in=scope)
    return _get_or_404(queryset, condition, uuid=uuid)
