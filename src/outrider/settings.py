"""The one settings object of Outrider (environment variables with the ``OUTRIDER_`` prefix)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "outrider-development-secret-key-change-me"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    """Configuration read from the environment; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="OUTRIDER_", env_file=None, extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; postgresql+psycopg://… selects PostgreSQL"
    )
    secret_key: str = DEV_SECRET_KEY
    host: str = "127.0.0.1"
    port: int = 8000
    token_ttl_hours: int = Field(default=12, ge=1, le=24 * 365)
    # The longest API token a bearer token may mint (a web session's tokens end with the session).
    token_max_ttl_hours: int = Field(default=24 * 90, ge=1, le=24 * 365)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    # argon2id cost of password and PIN hashes: "standard" (64 MiB, 3 passes, 4 lanes) for every real
    # deployment; "test" (8 MiB, 1 pass, 1 lane) only for the test suite's throwaway accounts
    password_hash_cost: Literal["standard", "test"] = "standard"  # noqa: S105 - a cost's name, not a secret
    # field check-in PINs (docs/field.md): this many wrong PINs of one user within the window lock them
    field_pin_max_failures: int = Field(default=5, ge=1, le=100)
    field_pin_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    log_level: str = "INFO"
    # Server processes of `outrider serve`: one Python process uses one core (the GIL); each worker opens
    # its own engine, and on SQLite they take write turns through SQLite's own lock.
    workers: int = Field(default=1, ge=1, le=64)
    audit_signing_key: str | None = Field(
        default=None,
        description="base64 Ed25519 seed for audit checkpoints; derived from the secret key if unset",
    )
    cordon_retention_days: int = Field(default=30, ge=1, le=3650)
    cordon_lateness_seconds: int = Field(default=300, ge=0, le=24 * 3600)
    cordon_batch_key_hours: int = Field(default=7 * 24, ge=1, le=24 * 365)  # how long a batch key is kept
    # the detectors (docs/cordon.md): how often a continuing dwell updates its alert, and reconnaissance:
    # how many places, whether a due movement's two ends (and the sites on its way) suffice, and how close
    # two protected sites may be and still count as one place
    cordon_dwell_update_seconds: int = Field(default=300, ge=0, le=24 * 3600)
    cordon_recon_places: int = Field(default=3, ge=2, le=20)
    cordon_recon_route_ends: bool = True
    cordon_recon_route_sites: bool = False
    cordon_recon_same_place_m: float = Field(default=1000.0, ge=0, le=50_000)
    # risk: see docs/risk.md; weights tables are JSON objects,
    # e.g. OUTRIDER_RISK_TARGET_WEIGHTS='{"police": 1.2}'
    risk_corridor_m: float = Field(default=10_000.0, gt=0, le=200_000)
    risk_half_life_days: float = Field(default=365.0, gt=0)
    risk_distance_half_m: float = Field(default=3_000.0, gt=0)
    risk_max_age_days: float = Field(default=3_650.0, gt=0)
    risk_min_confidence: float = Field(default=0.5, ge=0, le=1)
    risk_level_thresholds: tuple[float, float, float, float] = (1.0, 4.0, 10.0, 25.0)
    risk_site_radius_m: float = Field(default=10_000.0, gt=0, le=200_000)
    risk_attack_type_weights: dict[str, float] = Field(default_factory=dict)
    risk_weapon_weights: dict[str, float] = Field(default_factory=dict)
    risk_target_weights: dict[str, float] = Field(default_factory=dict)
    risk_base_rates: dict[str, float] = Field(default_factory=dict)
    jobs_embedded: bool = True
    jobs_interval_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    # web: the map works offline on packaged boundaries; a tile server ({z}/{x}/{y} template) is optional
    web_tile_url: str | None = Field(default=None, max_length=500)
    # alert delivery (docs/alerts.md, "Channels"): no SMTP host or SMS gateway URL -> those channels answer
    # "not configured" and the dispatcher dead-letters their messages
    smtp_host: str | None = Field(default=None, max_length=255)
    smtp_port: int | None = Field(default=None, ge=1, le=65535, description="587 starttls, 465 tls, 25 none")
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "outrider@localhost"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    smtp_ca_file: Path | None = None  # PEM certificates to trust for the SMTP server (an internal CA)
    sms_gateway_url: str | None = Field(default=None, max_length=500)
    sms_api_key: str | None = None
    sms_sender_id: str = Field(default="Outrider", max_length=32)
    sms_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # inbound SMS check-ins (docs/field.md, "SMS check-in"): the gateway signs each post with this secret
    sms_inbound_secret: str | None = Field(default=None, min_length=16)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # an acknowledgement not followed by progress within this many minutes lapses: the chain calls again
    alert_ack_timeout_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)

    # the dispatcher of alert delivery (docs/alerts.md, "The outbox and the dispatcher"): how often it looks
    # for due messages, how many it claims at once, how many tries a message gets and the first retry's wait
    # (doubled at each try, at most the cap, with jitter); the public address of the web pages for links
    notify_dispatch_seconds: float = Field(default=2.0, ge=0.05, le=3600)
    notify_batch_size: int = Field(default=50, ge=1, le=1000)
    notify_max_attempts: int = Field(default=6, ge=1, le=50)
    notify_backoff_seconds: float = Field(default=30.0, ge=0, le=3600)
    notify_backoff_cap_seconds: float = Field(default=1800.0, ge=0, le=24 * 3600)
    public_url: str | None = Field(
        default=None, max_length=300, description="e.g. https://outrider.example.org"
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == DEV_SECRET_KEY:
            raise ValueError("OUTRIDER_SECRET_KEY must be set to a secret of your own outside development")
        if self.env != "development" and len(self.secret_key) < 32:
            raise ValueError("OUTRIDER_SECRET_KEY must be at least 32 characters outside development")
        if self.env == "production" and self.password_hash_cost == "test":  # noqa: S105 - a cost's name
            raise ValueError("OUTRIDER_PASSWORD_HASH_COST=test (cheap hashes) is refused in production")
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL: the configured one, else SQLite in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'outrider.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
