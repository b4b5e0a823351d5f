"""The pages of host departments: the supervisors' own (their placements, calendar, a placement) and
the coordinators' (inviting supervisors, asking a department to confirm, interrupting)."""
