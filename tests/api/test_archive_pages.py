"""``/luu-tru`` (issue 17): only archivists and admins list closed dossiers and export them;
an agency officer or a clerk is refused (and audited), the export is recorded."""

from __future__ import annotations

import io
import zipfile

from sohoa.domain.access import Role
from sohoa.storage.audit import AuditLog
from sohoa.storage.records import DossierStatus
from tests.api.test_agency_api import api  # noqa: F401 - the fixture
from tests.helpers.auth import sign_in_as


def test_only_archivists_list_and_export(api) -> None:  # noqa: ANN001, F811
    client, t = api
    catalog = client.app.state.counter.ctx.catalog
    catalog.set_status(t["land"], DossierStatus.DANG_XU_LY)
    catalog.set_status(t["land"], DossierStatus.DA_XU_LY_XONG)
    sign_in_as(client, "diachinh", Role.AGENCY, ["000.21.14.H56"])
    assert client.get("/luu-tru").status_code == 403
    assert client.post("/luu-tru/xuat", data={"codes": [t["land"]]}).status_code == 403
    client.post("/logout")
    sign_in_as(client, "luutru1", Role.ARCHIVIST)
    page = client.get("/luu-tru")
    assert page.status_code == 200
    assert t["land"] in page.text and t["birth"] not in page.text  # only the closed one
    assert client.get("/luu-tru", params={"procedure": "1.001193"}).text.count(
        'name="codes"') == 0
    response = client.post("/luu-tru/xuat", data={"codes": [t["land"]]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        assert len([n for n in bundle.namelist() if n.startswith("urn_")]) == 1
    assert "Đã nộp lưu: urn:" in client.get("/luu-tru").text
    log = AuditLog(catalog)
    assert [e.dossier_code for e in log.entries(action="archive.export")] == [t["land"]]
    assert log.entries(action="access.denied", actor="diachinh")
