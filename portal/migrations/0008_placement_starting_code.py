"""The start-date reminder (to the trainee and the supervisors), with its texts."""

from django.db import migrations, models


def seed(apps, schema_editor):
    from portal.mail.defaults import email_templates_install

    email_templates_install(model=apps.get_model("portal", "EmailTemplate"))


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0007_hosting_email_codes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='emaillog',
            name='template_code',
            field=models.CharField(blank=True, choices=[('submitted', 'Application received'), ('info_requested', 'Information requested'), ('accepted', 'Accepted'), ('waitlisted', 'Waitlisted'), ('rejected', 'Rejected'), ('offered', 'Placement offered'), ('reminder_draft', 'Reminder: unfinished draft (to the applicant)'), ('reminder_info', 'Reminder: unanswered information request (to the applicant)'), ('reminder_review', 'Reminder: application waiting for review (to the coordinators)'), ('training_evaluation_due', 'Reminder: an evaluation is due (to the supervisors)'), ('training_logbook_waiting', 'Reminder: logbook entries wait for sign-off (to the supervisors)'), ('host_invitation', 'Invitation to supervise trainees (to a host supervisor)'), ('host_confirmation_requested', "Request to confirm a placement (to the host department's supervisors)"), ('placement_starting', 'Reminder: a placement starts in a week (to the trainee and the supervisors)')], max_length=40, verbose_name='template code'),
        ),
        migrations.AlterField(
            model_name='emailtemplate',
            name='code',
            field=models.CharField(choices=[('submitted', 'Application received'), ('info_requested', 'Information requested'), ('accepted', 'Accepted'), ('waitlisted', 'Waitlisted'), ('rejected', 'Rejected'), ('offered', 'Placement offered'), ('reminder_draft', 'Reminder: unfinished draft (to the applicant)'), ('reminder_info', 'Reminder: unanswered information request (to the applicant)'), ('reminder_review', 'Reminder: application waiting for review (to the coordinators)'), ('training_evaluation_due', 'Reminder: an evaluation is due (to the supervisors)'), ('training_logbook_waiting', 'Reminder: logbook entries wait for sign-off (to the supervisors)'), ('host_invitation', 'Invitation to supervise trainees (to a host supervisor)'), ('host_confirmation_requested', "Request to confirm a placement (to the host department's supervisors)"), ('placement_starting', 'Reminder: a placement starts in a week (to the trainee and the supervisors)')], max_length=40, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='historicalemailtemplate',
            name='code',
            field=models.CharField(choices=[('submitted', 'Application received'), ('info_requested', 'Information requested'), ('accepted', 'Accepted'), ('waitlisted', 'Waitlisted'), ('rejected', 'Rejected'), ('offered', 'Placement offered'), ('reminder_draft', 'Reminder: unfinished draft (to the applicant)'), ('reminder_info', 'Reminder: unanswered information request (to the applicant)'), ('reminder_review', 'Reminder: application waiting for review (to the coordinators)'), ('training_evaluation_due', 'Reminder: an evaluation is due (to the supervisors)'), ('training_logbook_waiting', 'Reminder: logbook entries wait for sign-off (to the supervisors)'), ('host_invitation', 'Invitation to supervise trainees (to a host supervisor)'), ('host_confirmation_requested', "Request to confirm a placement (to the host department's supervisors)"), ('placement_starting', 'Reminder: a placement starts in a week (to the trainee and the supervisors)')], max_length=40, verbose_name='code'),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
