"""Helpers every test package shares: real programs are required in CI."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

SERVICE_START_S = 120.0
"""How long a test lets a server it starts or restarts (SeaweedFS, Redis, RabbitMQ) take to
answer. A deadline, not a measurement: generous enough for a busy 2-core machine, where
RabbitMQ's boot or a SeaweedFS restart can take many times what it takes on an idle one."""


def require_program(name: str) -> str:
    """Path of ``name``; skip the test when it is missing, but fail under CI=true."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed")
    return path  # type: ignore[return-value]


def unavailable(message: str) -> None:
    """Skip locally; fail under CI=true, where every real component must be present."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: real components are mandatory)")
    pytest.skip(message)
