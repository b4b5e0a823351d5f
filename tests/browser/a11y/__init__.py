"""The accessibility audit: the page states it visits (states.py), the data they show (world.py) and
the checks run on each (audit.py): axe-core, the Nu HTML checker and the width on a phone."""
