"""Dramatiq actors for the scale-out profile: thin wrappers around :mod:`sohoa.pipeline`.

Empty on the embedded default, where :mod:`sohoa.services.digitize` runs the same page jobs
(:func:`sohoa.pipeline.page.run_page_job`, JSON in and out) in a local process pool.
"""
