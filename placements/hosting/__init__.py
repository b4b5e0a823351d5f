"""Host departments: their supervisors, the department's confirmation of a placement, absences."""
