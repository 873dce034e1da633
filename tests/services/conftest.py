"""The processing tests' work context and small generated scans, shared."""

from tests.processing.conftest import ctx, scans  # noqa: F401 - fixtures
