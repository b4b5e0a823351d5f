"""`make bench`: speed and scale of the portal measured against a trivial view (see README.md here)."""
