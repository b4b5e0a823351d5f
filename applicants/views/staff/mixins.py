from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from applicants.access import is_staff_user, staff_programme_ids


def staff_required(view):
    """Signed-in coordinators and superusers only: anonymous users go to the sign-in page, anyone
    else gets a 404, so the staff area does not reveal itself to applicants."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_user(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def staff_scope_required(view):
    """`staff_required` for a view that needs the programmes the user works on: their ids, from the
    one query that also tells whether the user is staff, are passed on as `scope`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        scope = staff_programme_ids(user)
        if not scope and not (user.is_active and user.is_superuser):
            raise Http404("No such page.")
        request.staff_scope = scope  # for the page's panels: the same answer, not asked again
        return view(request, *args, scope=scope, **kwargs)

    return wrapper
