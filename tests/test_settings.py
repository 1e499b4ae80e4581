"""Settings: config/settings.toml, CRM_* environment variables, and errors
that name the file and key so an operator can fix them."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from crm.settings import SETTINGS_FILE, ConfigError, load_settings


@pytest.fixture
def toml(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a copy of the real settings file with ``(old, new)`` text swaps."""

    def write(*swaps: tuple[str, str]) -> Path:
        text = SETTINGS_FILE.read_text()
        for old, new in swaps:
            assert re.search(old, text, flags=re.M), old
            text = re.sub(old, new, text, count=1, flags=re.M)
        path = tmp_path / "settings.toml"
        path.write_text(text)
        return path

    return write


def load(path: Path, tmp_path: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_settings(settings_file=path, environ=dict(env),
                         overrides={"instance_path": str(tmp_path / "instance")})


def test_the_shipped_settings_file_loads(tmp_path) -> None:
    settings = load(SETTINGS_FILE, tmp_path)
    assert settings.session_idle_minutes == 30
    assert settings.max_failures_per_account == 10
    assert settings.https_only is False
    assert settings.password_min_length == 12
    # No database URL configured: an SQLite file in the instance folder.
    assert settings.database_url == f"sqlite:///{tmp_path / 'instance' / 'crm.sqlite3'}"


def test_a_missing_key_names_the_file_and_the_key(toml, tmp_path) -> None:
    path = toml((r"^idle_minutes = 30\n", ""))
    with pytest.raises(ConfigError) as error:
        load(path, tmp_path)
    assert str(path) in str(error.value)
    assert "[sessions] idle_minutes" in str(error.value)
    assert "missing" in str(error.value)


def test_a_missing_section_names_the_file_and_a_key(toml, tmp_path) -> None:
    path = toml((r"^\[pagination\]\nper_page = 25\n", ""))
    with pytest.raises(ConfigError, match=r"\[pagination\] per_page: missing") as error:
        load(path, tmp_path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(("line", "value", "key"), [
    (r"^idle_minutes = 30$", 'idle_minutes = "thirty"', "[sessions] idle_minutes"),
    (r"^idle_minutes = 30$", 'idle_minutes = "30"', "[sessions] idle_minutes"),
    (r"^https_only = false$", 'https_only = "false"', "[sessions] https_only"),
    (r"^idle_minutes = 30$", "idle_minutes = true", "[sessions] idle_minutes"),
    (r"^idle_minutes = 30$", "idle_minutes = 30.5", "[sessions] idle_minutes"),
    (r"^idle_minutes = 30$", "idle_minutes = 0", "[sessions] idle_minutes"),
    (r"^https_only = false$", 'https_only = "perhaps"', "[sessions] https_only"),
    (r"^https_only = false$", "https_only = 1", "[sessions] https_only"),
    (r"^name = .*$", "name = 42", "[service] name"),
    (r"^min_length = 12$", "min_length = 6", "[passwords] min_length"),
])
def test_a_wrong_value_names_the_file_and_the_key(toml, tmp_path, line, value, key) -> None:
    path = toml((line, value))
    with pytest.raises(ConfigError) as error:
        load(path, tmp_path)
    assert str(path) in str(error.value)
    assert key in str(error.value)


def test_not_valid_toml_names_the_file(toml, tmp_path) -> None:
    path = toml((r"^\[sessions\]$", "[sessions"))
    with pytest.raises(ConfigError, match="not valid TOML") as error:
        load(path, tmp_path)
    assert str(path) in str(error.value)


def test_a_missing_file_is_named(tmp_path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="file not found") as error:
        load(path, tmp_path)
    assert str(path) in str(error.value)


def test_environment_variables_override_the_file(tmp_path) -> None:
    settings = load(SETTINGS_FILE, tmp_path, CRM_SESSION_IDLE_MINUTES="5",
                    CRM_HTTPS_ONLY="true", CRM_ORGANISATION_NAME="Anytown NHS Trust",
                    CRM_DATABASE_URL="postgresql+psycopg://crm@db/crm")
    assert settings.session_idle_minutes == 5
    assert settings.https_only is True
    assert settings.organisation_name == "Anytown NHS Trust"
    assert settings.database_url == "postgresql+psycopg://crm@db/crm"


@pytest.mark.parametrize(("name", "value"), [
    ("CRM_SESSION_IDLE_MINUTES", "five"),
    ("CRM_SESSION_IDLE_MINUTES", "-1"),
    ("CRM_HTTPS_ONLY", "maybe"),
    ("CRM_MAIL_PORT", "587.0"),
])
def test_a_bad_environment_value_names_the_variable(tmp_path, name, value) -> None:
    with pytest.raises(ConfigError) as error:
        load(SETTINGS_FILE, tmp_path, **{name: value})
    assert f"environment variable {name}" in str(error.value)
    assert repr(value) in str(error.value) or value in str(error.value)


def test_the_secret_key_is_generated_once_into_the_instance_folder(tmp_path) -> None:
    instance = tmp_path / "instance"
    first = load(SETTINGS_FILE, tmp_path)
    key_file = instance / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert re.fullmatch(r"[0-9a-f]{64}", first.secret_key)
    assert key_file.read_text().strip() == first.secret_key
    second = load(SETTINGS_FILE, tmp_path)
    assert second.secret_key == first.secret_key
    assert load(SETTINGS_FILE, tmp_path / "elsewhere").secret_key != first.secret_key


def test_a_secret_key_from_the_environment_is_used_and_no_file_is_written(tmp_path) -> None:
    settings = load(SETTINGS_FILE, tmp_path, CRM_SECRET_KEY="from-the-environment")
    assert settings.secret_key == "from-the-environment"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_the_instance_path_argument_is_honoured(tmp_path) -> None:
    settings = load_settings(environ={}, instance_path=tmp_path / "given")
    assert settings.instance_path == tmp_path / "given"
    assert (tmp_path / "given" / "secret_key").exists()


def test_the_instance_path_can_come_from_the_environment(tmp_path) -> None:
    settings = load_settings(environ={"CRM_INSTANCE_PATH": str(tmp_path / "env")})
    assert settings.instance_path == tmp_path / "env"
    assert (tmp_path / "env" / "secret_key").exists()


def test_the_app_uses_its_settings(app, settings) -> None:
    assert app.config["CRM_SETTINGS"] is settings
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == \
        settings.session_absolute_hours * 3600
