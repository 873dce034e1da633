"""Choose the object store from settings: one code path, two profiles.

No S3 endpoint configured is the embedded default (a local directory, no server); with one,
every process of a deployment shares the S3 bucket. Callers only see :class:`ObjectStore`.
"""

from __future__ import annotations

from sohoa.settings import StorageSettings
from sohoa.storage.local import LocalObjectStore
from sohoa.storage.objects import ObjectStore


def open_object_store(settings: StorageSettings) -> ObjectStore:
    """The local-directory store when ``s3_endpoint`` is None, the S3 store otherwise."""
    if settings.s3_endpoint is None:
        return LocalObjectStore(settings.object_root)
    from sohoa.storage.s3 import S3ObjectStore  # minio is only loaded when S3 is configured

    return S3ObjectStore(settings)
