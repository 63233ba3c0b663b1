"""Checks of the exercises' stated answers, one file a page (``test_<page>.py``)."""
