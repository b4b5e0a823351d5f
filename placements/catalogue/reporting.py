"""Where and when trainees report to a host department, and whom they ask for: what a placement
confirmation prints. A section (a department with a parent) that leaves a detail blank uses its
department's, so the UMCG radiology sections share the radiology department's address and contact."""

from dataclasses import dataclass
from datetime import time

from placements.catalogue.models import Department


@dataclass(frozen=True)
class Reporting:
    address: str
    time: time | None
    hours: str
    contact_name: str
    contact_email: str
    contact_phone: str
    notes: str

    @property
    def contact(self) -> str:
        """The contact person in one line: name, e-mail and phone, as far as they are known."""
        return ", ".join(part for part in (self.contact_name, self.contact_email, self.contact_phone) if part)


def _own_or_parent(department: Department, name: str):
    value = getattr(department, name)
    if value in ("", None) and department.parent_id:
        return getattr(department.parent, name)
    return value


def department_reporting(department: Department) -> Reporting:
    """The reporting details of `department` (load its parent with it where many are shown)."""
    return Reporting(
        address=_own_or_parent(department, "address").strip(),
        time=_own_or_parent(department, "reporting_time"),
        hours=_own_or_parent(department, "working_hours"),
        contact_name=_own_or_parent(department, "contact_name"),
        contact_email=_own_or_parent(department, "contact_email"),
        contact_phone=_own_or_parent(department, "contact_phone"),
        notes=_own_or_parent(department, "first_day_notes").strip(),
    )
