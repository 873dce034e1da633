"""Settings from the environment, and what a production deployment refuses to run with."""

from __future__ import annotations

from pathlib import Path

import pytest

from sohoa.cli.main import main
from sohoa.errors import ConfigurationError, SigningError
from sohoa.pipeline.signers import load_signer
from sohoa.settings import Settings, check_production, production_problems

S3 = {"SOHOA_S3_ENDPOINT": "s3.example.vn:443", "SOHOA_S3_ACCESS_KEY": "sohoa"}


def test_development_is_the_default_and_has_no_problems(tmp_path: Path) -> None:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path),
                                  "SOHOA_S3_SECRET_KEY": "minioadmin", **S3})
    assert settings.production is False and settings.signing.dev_signer_allowed is True
    assert production_problems(settings) == []


def test_production_names_every_default_secret(tmp_path: Path) -> None:
    settings = Settings.from_env({"SOHOA_DATA_DIR": str(tmp_path), "SOHOA_PROFILE": "production",
                                  "SOHOA_S3_SECRET_KEY": "minioadmin",
                                  "SOHOA_BROKER_URL": "amqp://guest:guest@mq:5672/", **S3})
    problems = production_problems(settings)
    assert len(problems) == 5
    assert "chứng thư thử nghiệm" in problems[0]
    assert "SOHOA_S3_SECRET_KEY" in problems[1] and "HTTPS" in problems[2]
    assert "guest" in problems[3] and "SOHOA_SECRET_KEY" in problems[4]
    with pytest.raises(ConfigurationError, match="SOHOA_PROFILE=production") as caught:
        check_production(settings)
    assert caught.value.exit_code == 2
    with pytest.raises(SigningError, match="không ký bằng chứng thư thử nghiệm"):
        load_signer(settings.signing)
    assert not (tmp_path / "dev-ca").exists()  # no test CA was made


def test_production_with_a_real_signer_and_secrets_is_accepted(tmp_path: Path) -> None:
    settings = Settings.from_env({
        "SOHOA_DATA_DIR": str(tmp_path), "SOHOA_PROFILE": "production",
        "SOHOA_PKCS12": str(tmp_path / "ky-so.p12"), "SOHOA_S3_SECURE": "1",
        "SOHOA_S3_SECRET_KEY": "x7Qv-long-random-secret", **S3,
        "SOHOA_BROKER_URL": "redis://:s3cret@redis:6379/0",
        "SOHOA_SECRET_KEY": "k" * 32})
    assert production_problems(settings) == []


def test_serve_refuses_to_start_in_production_without_a_signer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOHOA_PROFILE", "production")
    for name in ("SOHOA_PKCS12", "SOHOA_PKCS11_MODULE", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--port", "1"]) == 2
    assert "chưa cấu hình chữ ký số" in capsys.readouterr().err


def test_serve_refuses_plain_http_cookies_in_production(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOHOA_PROFILE", "production")
    monkeypatch.setenv("SOHOA_PKCS12", str(tmp_path / "ky-so.p12"))
    monkeypatch.setenv("SOHOA_SECRET_KEY", "k" * 48)
    monkeypatch.setenv("SOHOA_SECURE_COOKIES", "0")
    monkeypatch.delenv("SOHOA_S3_ENDPOINT", raising=False)
    monkeypatch.delenv("SOHOA_BROKER_URL", raising=False)
    assert main(["serve", "--port", "1"]) == 2
    assert "SOHOA_SECURE_COOKIES=0" in capsys.readouterr().err


def test_the_scale_profile_needs_one_absolute_data_dir(tmp_path: Path) -> None:
    """Issue 13: every process of a deployment must use the same data directory (dev CA,
    session key); a relative path means one per working directory."""
    broker = {"SOHOA_BROKER_URL": "redis://127.0.0.1:6379/0"}
    for relative in ({}, {"SOHOA_DATA_DIR": "sohoa-data"}):
        with pytest.raises(ConfigurationError, match="SOHOA_DATA_DIR phải là đường dẫn tuyệt"):
            Settings.from_env({**broker, **relative})
    assert Settings.from_env({**broker, "SOHOA_DATA_DIR": str(tmp_path)}).data_dir == tmp_path
    assert Settings.from_env({"SOHOA_DATA_DIR": "sohoa-data"}).data_dir == Path("sohoa-data")


def test_retention_days_is_refused_naming_what_replaced_it() -> None:
    """It had no effect next to retention.yaml (issue 13): say so instead of ignoring it."""
    with pytest.raises(ConfigurationError, match="SOHOA_RETENTION"):
        Settings.from_env({"SOHOA_RETENTION_DAYS": "3650"})


def test_the_readme_lists_every_setting_as_sohoa_settings_explains_it() -> None:
    """The operations section's table is the one ``sohoa settings`` prints (issue 13)."""
    from sohoa.settings import ENVIRONMENT

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- settings:table -->")
    table = readme[start:readme.index("<!-- /settings:table -->")]
    def escaped(text: str) -> str:  # markdown would take <SOHOA_DATA_DIR> for a tag
        return text.replace("<", "&lt;").replace(">", "&gt;")

    for _section, settings in ENVIRONMENT:
        for setting in settings:
            assert (f"| `{setting.name}` | {escaped(setting.default)} | "
                    f"{escaped(setting.meaning)} |") in table
