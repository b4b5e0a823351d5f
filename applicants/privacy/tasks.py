"""Privacy tasks: building an applicant's data export, deleting expired exports, the retention purge.

Found by the Celery app's autodiscovery (portal/celery.py names this package); services queue them by name.
Periodic (CELERY_BEAT_SCHEDULE in portal/settings.py): applicants.delete_expired_exports and
applicants.purge_expired_documents, once a day.
"""

from celery import shared_task

from applicants.privacy.data_export import data_export_build, data_exports_expire
from applicants.privacy.retention import documents_purge_expired


@shared_task(name="applicants.build_data_export", acks_late=True)
def build_data_export(*, export_id: int) -> str:
    """Write the ZIP of export `export_id`; a second delivery of a built or running one does nothing."""
    return data_export_build(export_id=export_id)


@shared_task(name="applicants.delete_expired_exports")
def delete_expired_exports() -> int:
    """Delete the archives of exports older than their expiry; returns how many."""
    return data_exports_expire()


@shared_task(name="applicants.purge_expired_documents")
def purge_expired_documents() -> dict[str, int]:
    """Delete documents past their programme's retention period; returns the counts (0 on a second run)."""
    summary = documents_purge_expired()
    return {"documents": summary.documents, "applications": summary.applications}
