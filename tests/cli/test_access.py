"""``sohoa user``, ``sohoa token`` and ``sohoa audit`` on the embedded catalog."""

from __future__ import annotations

import getpass
import io
import json
from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.processing.context import open_catalog
from sohoa.settings import Settings
from sohoa.storage.accounts import Accounts

PASSWORD = "mat-khau-dong-lenh"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SOHOA_DATABASE_URL", raising=False)
    monkeypatch.setenv("SOHOA_NEW_PASSWORD", PASSWORD)
    return tmp_path / "data"


def accounts() -> Accounts:
    return Accounts(open_catalog(Settings.from_env().storage))


def test_users_tokens_and_the_audit_trail(data_dir: Path,
                                          capsys: pytest.CaptureFixture) -> None:
    assert main(["user", "add", "TuPhap", "--role", "agency", "--agency", "000.00.14.H56",
                 "--agency", "H56.01", "--name", "Phòng Tư pháp"]) == 0
    assert "Đã tạo tài khoản tuphap (Cơ quan giải quyết)." in capsys.readouterr().out
    assert accounts().authenticate("tuphap", PASSWORD).agency_codes == ("000.00.14.H56",
                                                                       "H56.01")
    assert main(["user", "add", "canbo1", "--role", "agency"]) == 2
    assert "ít nhất một mã cơ quan" in capsys.readouterr().err

    assert main(["user", "add", "canbo2", "--role", "clerk"]) == 0
    capsys.readouterr()
    assert main(["token", "issue", "canbo2", "--name", "thử"]) == 2  # the API is not theirs
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "Không cấp mã truy cập cho canbo2: vai trò Cán bộ tiếp nhận không dùng API" in err
    assert accounts().tokens("canbo2") == []

    assert main(["token", "issue", "tuphap", "--name", "Một cửa điện tử", "--days", "30"]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert secret.startswith("sohoa_") and "mã chỉ in một lần" in err
    assert accounts().principal_for_token(secret).username == "tuphap"
    assert main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert "còn hiệu lực" in listed and secret[:12] in listed and secret not in listed
    assert main(["token", "revoke", "1"]) == 0
    assert "Đã thu hồi mã truy cập số 1 (Một cửa điện tử) của tuphap." in capsys.readouterr().out

    assert main(["user", "disable", "tuphap"]) == 0
    assert main(["user", "list"]) == 0
    assert "đã vô hiệu hóa [000.00.14.H56, H56.01] — Phòng Tư pháp" in capsys.readouterr().out

    assert main(["audit", "--json", "--actor", getpass.getuser()]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert [line["action"] for line in lines] == ["user.disable", "token.revoke",
                                                  "token.issue", "user.create",
                                                  "user.create"]
    created = lines[-1]
    assert created["target"] == "tuphap" and created["role"] == "admin"
    assert created["detail"] == {"role": "agency", "agency_codes": ["000.00.14.H56", "H56.01"]}
    assert created["remote_addr"].startswith("cli@") and created["outcome"] == "ok"
    assert lines[2]["detail"]["name"] == "Một cửa điện tử" and lines[2]["at"].endswith("+07:00")
    assert main(["audit", "--action", "token", "--since", "2000-01-01"]) == 0
    text = capsys.readouterr().out
    assert "token.revoke ok" in text and "token.issue ok" in text and "user.create" not in text
    assert main(["audit", "--since", "23/11/2026"]) == 2


def test_password_needs_a_terminal_or_the_variable(data_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("SOHOA_NEW_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "canbo1", "--role", "clerk"]) == 2
    assert "đặt SOHOA_NEW_PASSWORD" in capsys.readouterr().err

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(["mat-khau-moi-123", "mat-khau-moi-123", "mot-cai", "cai-khac"])
    monkeypatch.setattr("sys.stdin", Tty())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert main(["user", "add", "canbo1", "--role", "clerk"]) == 0
    assert main(["user", "passwd", "canbo1"]) == 2
    assert "không khớp" in capsys.readouterr().err
    assert accounts().authenticate("canbo1", "mat-khau-moi-123").username == "canbo1"
