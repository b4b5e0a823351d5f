"""Reads of placements for the staff and applicant pages, each in a fixed number of queries."""
