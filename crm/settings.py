"""Settings: config/settings.toml, overridden by CRM_* environment variables.

Loaded once at start-up and validated; a bad or missing value stops the app
with a message naming the file and the key, so an operator can fix it.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
SETTINGS_FILE = CONFIG_DIR / "settings.toml"


class ConfigError(RuntimeError):
    """A setting is missing or has a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    service_name: str
    organisation_name: str
    involvement_team_email: str
    involvement_team_phone: str
    base_url: str
    database_url: str
    secret_key: str
    session_idle_minutes: int
    session_absolute_hours: int
    https_only: bool
    max_failures_per_account: int
    max_failures_per_ip: int
    sign_in_window_minutes: int
    password_min_length: int
    password_max_length: int
    invitation_valid_days: int
    mail_host: str
    mail_port: int
    mail_use_tls: bool
    mail_username: str
    mail_password: str
    mail_sender: str
    per_page: int
    trusted_hops: int
    instance_path: Path
    # GOV.UK Notify (crm.messaging): all from CRM_NOTIFY_* environment
    # variables, never from the repository. No API key: Notify is not used.
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_email_template_id: str = ""
    notify_sms_template_id: str = ""


# (section, key, type, settings field). The environment variable is
# CRM_<FIELD> upper-cased, for example CRM_SESSION_IDLE_MINUTES.
_SCHEMA: list[tuple[str, str, type, str]] = [
    ("service", "name", str, "service_name"),
    ("service", "organisation_name", str, "organisation_name"),
    ("service", "involvement_team_email", str, "involvement_team_email"),
    ("service", "involvement_team_phone", str, "involvement_team_phone"),
    ("service", "base_url", str, "base_url"),
    ("database", "url", str, "database_url"),
    ("sessions", "idle_minutes", int, "session_idle_minutes"),
    ("sessions", "absolute_hours", int, "session_absolute_hours"),
    ("sessions", "https_only", bool, "https_only"),
    ("sign_in", "max_failures_per_account", int, "max_failures_per_account"),
    ("sign_in", "max_failures_per_ip", int, "max_failures_per_ip"),
    ("sign_in", "window_minutes", int, "sign_in_window_minutes"),
    ("passwords", "min_length", int, "password_min_length"),
    ("passwords", "max_length", int, "password_max_length"),
    ("invitations", "valid_days", int, "invitation_valid_days"),
    ("mail", "host", str, "mail_host"),
    ("mail", "port", int, "mail_port"),
    ("mail", "use_tls", bool, "mail_use_tls"),
    ("mail", "username", str, "mail_username"),
    ("mail", "sender", str, "mail_sender"),
    ("pagination", "per_page", int, "per_page"),
    ("proxy", "trusted_hops", int, "trusted_hops"),
]

_POSITIVE = {
    "session_idle_minutes", "session_absolute_hours", "max_failures_per_account",
    "max_failures_per_ip", "sign_in_window_minutes", "invitation_valid_days",
    "mail_port", "per_page",
}


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, naming the file in any error."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def _coerce(raw: Any, kind: type, where: str, from_text: bool) -> Any:
    """Check a value's type. Text from environment variables is converted;
    values from the TOML file must already have the right type."""
    if from_text and isinstance(raw, str) and kind is not str:
        text = raw.strip().lower()
        if kind is bool:
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off"}:
                return False
            raise ConfigError(f"{where}: must be true or false, not {raw!r}")
        try:
            return kind(text)
        except ValueError as exc:
            raise ConfigError(f"{where}: must be a whole number, not {raw!r}") from exc
    if kind is int and isinstance(raw, bool):
        raise ConfigError(f"{where}: must be a whole number, not {raw!r}")
    if not isinstance(raw, kind):
        raise ConfigError(f"{where}: must be {kind.__name__}, not {raw!r}")
    return raw


def load_settings(
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    settings_file: Path = SETTINGS_FILE,
    instance_path: Path | None = None,
) -> Settings:
    """Build validated settings. Raises ConfigError naming file and key."""
    env = os.environ if environ is None else environ
    overrides = overrides or {}
    data = read_toml(settings_file)
    values: dict[str, Any] = {}
    for section, key, kind, field in _SCHEMA:
        env_name = f"CRM_{field.upper()}"
        from_text = True
        if field in overrides:
            raw, where = overrides[field], f"override {field}"
        elif env_name in env:
            raw, where = env[env_name], f"environment variable {env_name}"
        else:
            from_text = False
            where = f"{settings_file}: [{section}] {key}"
            if section not in data or key not in data[section]:
                raise ConfigError(f"{where}: missing")
            raw = data[section][key]
        value = _coerce(raw, kind, where, from_text)
        if field in _POSITIVE and value < 1:
            raise ConfigError(f"{where}: must be 1 or more, not {value}")
        values[field] = value

    if values["trusted_hops"] < 0:
        raise ConfigError(f"{settings_file}: [proxy] trusted_hops must be 0 or more")
    if values["password_min_length"] < 8 or values["password_max_length"] < 64:
        raise ConfigError(
            f"{settings_file}: [passwords] min_length must be at least 8 and "
            "max_length at least 64 (OWASP ASVS 5.0)"
        )

    inst = Path(overrides.get("instance_path") or instance_path
                or env.get("CRM_INSTANCE_PATH") or ROOT / "instance")
    inst.mkdir(parents=True, exist_ok=True)
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{inst / 'crm.sqlite3'}"
    values["secret_key"] = str(overrides.get("secret_key") or env.get("CRM_SECRET_KEY")
                               or _instance_secret(inst))
    values["mail_password"] = str(overrides.get("mail_password")
                                  or env.get("CRM_MAIL_PASSWORD", ""))
    for field, default in _NOTIFY.items():
        values[field] = str(overrides.get(field) or env.get(f"CRM_{field.upper()}", default))
    return Settings(instance_path=inst, **values)


# Notify settings: secret (the API key) or per-deployment (template ids), so
# they come from overrides or CRM_NOTIFY_* environment variables only.
_NOTIFY = {"notify_api_key": "", "notify_base_url": "https://api.notifications.service.gov.uk",
           "notify_email_template_id": "", "notify_sms_template_id": ""}


def _instance_secret(instance: Path) -> str:
    """A secret key generated once into instance/ (never committed)."""
    path = instance / "secret_key"
    try:
        # Created readable by the owner only from the start; O_EXCL means two
        # workers starting at once cannot both write one.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()
