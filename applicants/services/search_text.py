"""The review queue's search text of applications follows their applicant's name and e-mail address
(applicants.search; the reference is followed by Application.save)."""

from applicants.models import Application

# Saves of a user that change what the search text holds.
SEARCHED_USER_FIELDS = frozenset({"first_name", "last_name", "email"})


def applicant_search_text_refresh(*, applicant) -> int:
    """Write again the search text of `applicant`'s submitted applications; returns how many."""
    applications = list(Application.objects.filter(applicant=applicant).exclude(reference=None).only("reference"))
    for application in applications:
        application.applicant = applicant
        application.search_text = application.searchable_text()
    Application.objects.bulk_update(applications, ["search_text"])
    return len(applications)


def applicant_saved(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """post_save of the user model: a new name or address is found by the search at once (and an
    erased one is no longer found)."""
    if created or (update_fields is not None and not SEARCHED_USER_FIELDS & set(update_fields)):
        return
    applicant_search_text_refresh(applicant=instance)
