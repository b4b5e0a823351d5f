"""Pages of the coordinators and admins, all under /staff/ and one layout (templates/staff/base.html)."""
