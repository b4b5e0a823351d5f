"""Staff pages of placements: the capacity calendar, manual assignment, offers and seat proposals."""
