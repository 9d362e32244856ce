"""Settings: ``lyssna.toml`` in the project folder, overridden by ``LYSSNA_*`` environment variables.

The environment is passed in (STYLE.md habit 7), never read from globals inside the library, so tests
need no patching: :func:`load_settings` takes ``environ``.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError

__all__ = ["Settings", "CONFIG_NAME", "load_settings", "default_toml"]

CONFIG_NAME = "lyssna.toml"
ENV_PREFIX = "LYSSNA_"


class Settings(BaseModel):
    """A project's settings. Each field can be set in lyssna.toml or as LYSSNA_<FIELD>."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    store: str = Field("lyssna.duckdb", description="the embedded store's file, relative to the project")
    timezone: str = Field("Europe/Stockholm",
                          description="time zone of timestamps written without an offset, and of reports")
    batch_size: int = Field(5000, ge=1, le=1_000_000, description="posts written per transaction")
    memory_limit: str = Field("1GB", pattern=r"^\s*\d+(\.\d+)?\s*([KMGT]i?B|B)\s*$",
                              description="most memory the embedded store may use (DuckDB), e.g. 1GB")
    sentiment_model: str = Field("", description="a Hugging Face sentiment model folder on disk to use instead "
                                 "of the built-in sentiment (needs transformers and torch); empty: built-in")
    own_accounts: list[str] = Field(default_factory=list,
                                    description="the organisation's own accounts, as \"platform:handle\" (or a "
                                    "bare handle, any platform), e.g. [\"twitter:norrskenab\"]: their answers are "
                                    "the response rate and time (LYSSNA_OWN_ACCOUNTS: comma-separated)")
    smtp_host: str = Field("localhost", description="the SMTP server e-mail alerts are sent through")
    smtp_port: int = Field(25, ge=1, le=65535, description="its port")
    smtp_from: str = Field("lyssna@localhost", description="the sender address of e-mail alerts")
    smtp_security: str = Field("none", pattern=r"^(none|starttls|ssl)$",
                               description="none, starttls (usually port 587) or ssl (usually port 465); the "
                               "server's certificate is checked against the system's certificate authorities")
    smtp_user: str = Field("", description="the user to log in to the SMTP server as (needs starttls or ssl); "
                           "empty: no login")
    smtp_password: str = Field("", description="its password; better set as LYSSNA_SMTP_PASSWORD than written here")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Stockholm)") from None
        return value

    @model_validator(mode="after")
    def _no_password_in_the_clear(self) -> "Settings":
        if self.smtp_user and self.smtp_security == "none":
            raise ValueError("smtp_user is set but smtp_security is none: set smtp_security to starttls or ssl "
                             "(a password is never sent unencrypted)")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def default_toml(values: Mapping[str, object] | None = None) -> str:
    """The lyssna.toml written by ``lyssna init``: every setting with its default (or the value given in
    ``values``) and meaning."""
    values = dict(values or {})
    unknown = set(values) - set(Settings.model_fields)
    if unknown:
        raise ValueError(f"no such setting: {', '.join(sorted(unknown))}")
    lines = ["# Lyssna project settings. Each can be overridden by an environment variable LYSSNA_<NAME>.", ""]
    for name, field in Settings.model_fields.items():
        value = values[name] if name in values else field.get_default(call_default_factory=True)
        lines.append(f"# {field.description}")
        lines.append(f"{name} = {json.dumps(value, ensure_ascii=False)}" if isinstance(value, (str, list))
                     else f"{name} = {value}")
        lines.append("")
    return "\n".join(lines)


def load_settings(folder: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings of the project in ``folder``: its lyssna.toml, then LYSSNA_* from ``environ``."""
    environ = os.environ if environ is None else environ
    path = folder / CONFIG_NAME
    values: dict[str, object] = {}
    if path.exists():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: {e}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read ({e})") from None
    for name in Settings.model_fields:
        env = environ.get(ENV_PREFIX + name.upper())
        if env is not None:
            values[name] = [v.strip() for v in env.split(",") if v.strip()] if name == "own_accounts" else env
    try:
        return Settings(**values)
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or 'settings'}: {err['msg']}" for err in e.errors())
        raise ConfigError(f"{path}: {problems}") from None
