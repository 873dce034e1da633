"""Uploads that are too big or carry tricky names: refused or made harmless, nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sohoa.api.app import create_app
from sohoa.api.settings import CounterSettings
from sohoa.domain.access import Role
from sohoa.settings import Settings
from tests.api.conftest import wait_for
from tests.api.test_counter_app import new_dossier, refused, upload
from tests.helpers.auth import sign_in_as

pytestmark = pytest.mark.ocr
FILE_LIMIT, REQUEST_LIMIT = 400_000, 1_000_000


@pytest.fixture
def small_client(settings: Settings) -> Iterator[TestClient]:
    """A counter whose files may be 400 kB and requests 1 MB."""
    limited = replace(settings, limits=replace(settings.limits, max_file_bytes=FILE_LIMIT))
    counter = CounterSettings(secure_cookies=False, max_request_bytes=REQUEST_LIMIT)
    with TestClient(create_app(limited, counter)) as client:
        sign_in_as(client, "canbo1", Role.CLERK)
        yield client


def test_a_request_over_the_limit_is_refused_before_it_is_read(
        small_client: TestClient, birth_pages: list[Path]) -> None:
    code = new_dossier(small_client)
    huge = upload(small_client, code, [("lon.pdf", b"%PDF-1.7\n" + b"0" * REQUEST_LIMIT)])
    assert huge.status_code == 413 and "Yêu cầu quá lớn" in huge.json()["error"]

    def endless():  # chunked: no Content-Length to judge by, a file part that never ends
        yield (b'--b\r\nContent-Disposition: form-data; name="files"; filename="x.pdf"\r\n'
               b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n")
        for _ in range(40):
            yield b"0" * 50_000

    chunked = small_client.post(f"/dossiers/{code}/uploads", content=endless(),
                                headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert chunked.status_code == 413 and "Yêu cầu quá lớn" in chunked.text
    assert small_client.get(f"/dossiers/{code}/status.json").json()["pages_total"] == 0


def test_a_file_over_its_limit_is_named_and_the_others_are_kept(
        small_client: TestClient, birth_pages: list[Path]) -> None:
    code = new_dossier(small_client)
    big = b"%PDF-1.7\n" + b"0" * (FILE_LIMIT + 10)
    answer = upload(small_client, code, [("to.pdf", big),
                                         (birth_pages[0].name, birth_pages[0].read_bytes())])
    problem = refused(small_client, answer, code)
    assert "to.pdf: Tệp quá lớn" in problem and "Đã nhận 1 trang" in problem
    assert wait_for(small_client, code, {"review"})["pages_total"] == 1


@pytest.mark.parametrize("name", ["../../../../etc/passwd.png", "..\\..\\boot.ini.png",
                                  "/abs/olute.png", "a\x00b.png", ".png", "~/.ssh/id.png"])
def test_names_with_path_tricks_never_leave_the_dossier(
        client: TestClient, birth_pages: list[Path], name: str) -> None:
    code = new_dossier(client)
    answer = upload(client, code, [(name, birth_pages[0].read_bytes())])
    assert answer.status_code == 303
    ctx = client.app.state.counter.ctx
    raw = ctx.catalog.dossier(code).raw_scans
    assert len(raw) == 1 and "/" not in raw[0].original_name and ".." not in \
        raw[0].original_name.replace("..png", "")
    assert raw[0].key.startswith(f"dossiers/{code}/raw/")
    assert ctx.objects.get(raw[0].key, raw[0].sha256) == birth_pages[0].read_bytes()
