"""The one validated configuration object. Environment (RELAYDESK_*), then .env, then defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "dev-secret", "secret"})


class Settings(BaseSettings):
    """Every knob of relaydesk. Built once by the CLI or ``create_app`` and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="RELAYDESK_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    environment: str = Field("development", pattern="^(development|test|production)$")
    database_url: str = "sqlite:///relaydesk.db"
    """SQLAlchemy URL. A ``postgresql://`` URL switches to PostgreSQL with no code change."""
    redis_url: str | None = None
    """When set, events fan out through Redis pub/sub so any worker's WebSockets see them."""
    secret_key: str = "dev-secret"
    """Signs customer conversation tokens. Must be changed outside development."""
    data_dir: Path = Path("var")
    """Where indexes and model artifacts live."""

    max_body_bytes: int = Field(64 * 1024, ge=1024)
    max_message_chars: int = Field(8000, ge=1)
    max_ai_turns: int = Field(6, ge=1, le=100)
    """Escalate when the AI has replied this many times without resolving the conversation."""
    governance_policy: Path | None = None
    """Governance policy file (escalation triggers, action rules); None: the bundled default.yaml.
    When ``max_ai_turns`` is set explicitly it overrides the policy's ``ai_turns`` rule."""

    embedder: str = "default"
    """``default`` (bundled MiniLM int8 ONNX) or a directory with model.onnx + tokenizer.json."""
    llm_base_url: str | None = None
    """An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp). None: no LLM."""
    llm_model: str | None = None
    llm_api_key: str | None = None

    knowledge_answer_threshold: float | None = Field(None, ge=0.0, le=1.0)
    """Knowledge confidence below which the AI abstains ("missing knowledge"). None: calibrated default."""
    knowledge_max_source_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    """Largest file, page or upload the knowledge base ingests."""

    cors_origins: list[str] = []

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(f'database_url "{value}" must start with sqlite:// or postgresql://')
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @model_validator(mode="after")
    def _no_placeholder_secret_in_production(self) -> Settings:
        if self.environment == "production" and self.secret_key in PLACEHOLDER_SECRETS:
            raise ValueError("secret_key is a placeholder; set RELAYDESK_SECRET_KEY in production")
        return self

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")
