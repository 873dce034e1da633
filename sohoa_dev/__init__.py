"""What tests, benchmarks and scripts share, and the product never ships.

- :mod:`sohoa_dev.synth`: synthetic scanned material with known ground truth (pages,
  documents of every type, whole dossiers).
- :mod:`sohoa_dev.services`: real servers on 127.0.0.1 for tests and benchmarks (SeaweedFS,
  Redis, RabbitMQ, a throwaway PostgreSQL database), started and stopped by the caller.

It lives beside ``sohoa/``, not inside it: ``pip install sohoa`` gets none of it.
"""
