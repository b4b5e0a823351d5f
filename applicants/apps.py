from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = "Applicants and applications"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from applicants.models import Application, DataExport, Dossier
        from applicants.notifications import email_on_timeline
        from applicants.selectors_queue import application_changed
        from applicants.services.documents import documents_waiting
        from applicants.services.search_text import applicant_saved
        from portal import outbox
        from portal.jobs.services import job_source
        from portal.mail.signals import email_settled

        post_save.connect(applicant_saved, sender=get_user_model(), dispatch_uid="applicants.search_text")
        post_save.connect(application_changed, sender=Application, dispatch_uid="applicants.queue_counts")
        post_delete.connect(application_changed, sender=Application, dispatch_uid="applicants.queue_counts")
        email_settled.connect(email_on_timeline, dispatch_uid="applicants.email_on_timeline")
        # The rows of this app whose task the outbox sweeper sends again when it never reached a worker.
        outbox.register(outbox.Source("documents", documents_waiting, "applicants.process_document", "document_id"))
        outbox.register(job_source("data_exports", DataExport))
        outbox.register(job_source("dossiers", Dossier))
