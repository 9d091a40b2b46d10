"""The one Settings class: firm policy and user preferences, read once at start-up.

Sources, strongest first: explicit values from the command line, `DUEDILIGENCE_*` environment
variables (nested with `__`, e.g. `DUEDILIGENCE_REVIEW_MONTHS__HIGH=6`), then the TOML file at
`DUEDILIGENCE_CONFIG` or the platform config directory. No other module reads the environment:
the composition roots (CLI, TUI) build a Settings and pass what each part needs.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from duediligence.adapters.locations import DatabaseUrl, StoreLocation, config_file, store_location
from duediligence.domain.errors import DueDiligenceError
from duediligence.domain.paths import exists, read_regular_file

SETTINGS_MAX_BYTES = 1024 * 1024
"""A settings file is a few lines; anything past a megabyte is not one."""


class ReviewMonths(BaseModel):
    """How often a matter's risk assessment is reviewed, by rating (firm policy)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: int = Field(default=12, ge=1, le=120)
    """Months between reviews of a High-risk matter."""
    medium: int = Field(default=24, ge=1, le=120)
    """Months between reviews of a Medium-risk matter."""
    low: int = Field(default=36, ge=1, le=120)
    """Months between reviews of a Low-risk matter."""


class Settings(BaseSettings):
    """Everything configurable, with the defaults a small firm would choose."""

    model_config = SettingsConfigDict(
        env_prefix="DUEDILIGENCE_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    store: Path | DatabaseUrl | None = None
    """The case-file database: a SQLite file (the platform data directory's when unset) or a
    firm's shared PostgreSQL database, `postgresql://ROLE@HOST/DATABASE`."""
    user: str | None = None
    """Who the command line acts as (a user id from the register), unless `--as` says otherwise."""
    checklists: tuple[Path, ...] = ()
    """The firm's checklist folders; the bundled checklists when empty."""
    templates: Path | None = None
    """A folder of the firm's own report templates, searched before the bundled ones."""
    logo: Path | None = None
    """The firm's logo (PNG or SVG) for the audit file's cover."""
    key_passphrase_file: Path | None = None
    """A file whose first line is the firm key's passphrase: audit files rendered from the
    terminal UI are signed with it (unset: they are not signed; the command line asks)."""
    review_months: ReviewMonths = ReviewMonths()
    """Review interval by rating."""
    training_valid_months: int = Field(default=12, ge=1, le=60)
    """How long AML training counts as current (reg 24)."""
    pep_review_after_office_months: int = Field(default=12, ge=12, le=120)
    """A former PEP is treated as a PEP for at least this long after leaving office (reg 35)."""
    require_bound_approvers: bool = True
    """Supervisors, senior managers and the MLRO must be bound to a computer account before
    they approve, decide hits, import lists, register people or read restricted records. A
    one-person practice may set it false; the audit file then says so."""
    allow_self_approval: bool = False
    """Whether someone may approve a matter they are responsible for (firm policy; off by default)."""
    fwra_valid_months: int = Field(default=12, ge=1, le=60)
    """A firm-wide risk assessment older than this is out of date: no new matter may open."""
    list_max_age_days: int = Field(default=7, ge=1, le=365)
    """Warn when a screening list snapshot is older than this."""
    list_shrink_max_percent: int = Field(default=10, ge=0, le=100)
    """A new snapshot of a list that holds this share fewer entries than the one in use (or none)
    is refused unless confirmed with a reason: a truncated file must not clear hits."""
    list_max_mb: int = Field(default=1024, ge=1, le=65536)
    """The largest screening list file `lists import` reads, in MB (the full PEP list is a few
    hundred); a larger file is refused rather than read into memory."""
    funds_tolerance_percent: Decimal = Field(default=Decimal("1"), ge=0, le=100)
    """A receipt may exceed its declared tranche by this share of it and still reconcile (bank
    charges, rounding); more is a mismatch to explain (issue 14)."""
    funds_tolerance_amount: Decimal = Field(default=Decimal("0"), ge=0)
    """... or by this absolute amount in the tranche's currency, whichever is larger."""
    risk_medium_from: int = Field(default=3, ge=1)
    """Score from which the computed rating is Medium."""
    risk_high_from: int = Field(default=6, ge=1)
    """Score from which the computed rating is High."""
    theme: str = "textual-dark"
    """The TUI theme."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """TUI key overrides: binding id to keys, e.g. {"new_matter" = "ctrl+n"}."""

    @field_validator("store", mode="before")
    @classmethod
    def _store(cls, value: object) -> StoreLocation | object:
        # A database address must not pass through Path, which folds its `//`.
        return store_location(value) if isinstance(value, str) else value

    @field_validator("user", "theme")
    @classmethod
    def _utf8(cls, value: str | None) -> str | None:
        # An environment variable arrives decoded with surrogateescape; text that is not UTF-8
        # could be neither stored nor printed (file names, the Path settings, keep it).
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("is not valid UTF-8 text") from None
        return value

    @model_validator(mode="after")
    def _bands_in_order(self) -> Settings:
        # High from a lower score than Medium would make Medium unreachable: a typo, not a policy.
        if self.risk_high_from <= self.risk_medium_from:
            raise ValueError(
                f"risk_high_from ({self.risk_high_from}) must be above risk_medium_from "
                f"({self.risk_medium_from})"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only DUEDILIGENCE_CONFIG is read here: choosing the file must come before reading it.
        path = os.environ.get("DUEDILIGENCE_CONFIG")
        toml = TomlConfigSettingsSource(
            settings_cls, toml_file=Path(path) if path else config_file()
        )
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Build the settings, or raise DueDiligenceError naming the file or variable at fault."""
    source = os.environ.get("DUEDILIGENCE_CONFIG") or str(config_file())
    if exists(Path(source)):
        # Looked at first: the TOML reader would block for ever on a FIFO or read /dev/zero
        # until memory ran out.
        try:
            read_regular_file(Path(source), SETTINGS_MAX_BYTES)
        except OSError as error:
            raise DueDiligenceError(f"cannot read the settings file {source}: {error}") from None
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as error:
        lines = []
        for detail in error.errors():
            field = ".".join(str(p) for p in detail["loc"])
            lines.append(f"setting '{field}': {detail['msg']}")
        raise DueDiligenceError(
            f"the settings are not valid (file {source} or DUEDILIGENCE_* variables):\n"
            + "\n".join(lines)
        ) from None
    except (OSError, ValueError, RecursionError) as error:
        raise DueDiligenceError(f"cannot read the settings file {source}: {error}") from None
