"""Load the demo catalogue and demo accounts; safe to run again (nothing is duplicated)."""

import json
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from applicants.services.reviews import rubric_load
from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.models import Department, Programme
from placements.hosting.models import Supervision
from placements.training.demo import training_load
from portal.models import User

DEFAULT_FILE = Path(settings.BASE_DIR) / "placements" / "fixtures" / "demo_catalogue.json"


class Command(BaseCommand):
    help = "Load the demo catalogue and the demo accounts, then print the accounts."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, **options):
        data = json.loads(file.read_text(encoding="utf-8"))
        programmes = catalogue_load(data=data)
        self.stdout.write(f"Catalogue: {len(programmes)} programmes loaded from {file.name}.")
        # Rubrics belong to the applicants app, so the catalogue loader in placements leaves them to us.
        for row in data.get("programmes", []):
            if row.get("rubric"):
                rubric_load(programme=Programme.objects.get(slug=row["slug"]), criteria=row["rubric"])
        # Competencies, evaluation forms and which programmes keep a logbook (the training app's own file).
        competencies = training_load()
        self.stdout.write(f"Training: {competencies} competencies and the evaluation forms loaded.")
        self.stdout.write("Demo accounts (e-mail / password / role):")
        for row in data.get("accounts", []):
            user = self._account(row)
            self.stdout.write(f"  {user.email:<40} {row['password']:<24} {row['role']}")

    def _account(self, row) -> User:
        role = row["role"]
        user, created = User.objects.get_or_create(
            email=row["email"],
            defaults={
                "first_name": row.get("first_name", ""),
                "last_name": row.get("last_name", ""),
                "is_staff": role == "admin",
                "is_superuser": role == "admin",
            },
        )
        if created:
            user.set_password(row["password"])
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        for slug in row.get("programmes", []):
            Programme.objects.get(slug=slug).coordinators.add(user)
        # A host supervisor of these departments (and of their sections).
        for slug in row.get("departments", []):
            Supervision.objects.get_or_create(user=user, department=Department.objects.get(slug=slug))
        return user
