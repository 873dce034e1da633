"""Pydantic models of what crosses boundaries: page reports today; procedures, checklists and
verdicts with classification (issue 3)."""
