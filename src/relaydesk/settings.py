"""The one validated configuration object. Environment (RELAYDESK_*), then .env, then defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_EMBEDDER_NAMES = frozenset({"", "default", "minilm"})
"""Embedder specs that mean the bundled MiniLM model."""


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
    data_dir: Path = Path("var")
    """Where indexes and model artifacts live."""

    max_body_bytes: int = Field(64 * 1024, ge=1024)
    """Largest HTTP request body, and largest WebSocket frame (closed with 1009 beyond it)."""
    max_header_bytes: int = Field(64 * 1024, ge=4096)
    """Largest request line and headers ``relaydesk serve`` reads; beyond it the request is refused
    before the rest is buffered."""
    trusted_proxies: list[str] = []
    """Addresses or networks (``10.0.0.0/8``) of the reverse proxies in front of relaydesk: only a
    request from one of them has its client address taken from ``X-Forwarded-For``."""
    rate_limits_enabled: bool = True
    """Off: no rate limit at all (a load test on one address, say)."""
    rate_limit_wrong_keys: str = Field("20/5m", pattern=r"^\s*\d+\s*/\s*\d*\s*[smh]\s*$")
    """Wrong agent API keys per address (COUNT/PERIOD); beyond it the address's agent calls are
    refused with 429 until the bucket refills."""
    rate_limit_conversation_starts: str = Field("60/10m", pattern=r"^\s*\d+\s*/\s*\d*\s*[smh]\s*$")
    """Conversations started per address."""
    rate_limit_open_conversations: int = Field(30, ge=1)
    """Open (not resolved) conversations one address may have started."""
    rate_limit_customer_posts: str = Field("30/1m", pattern=r"^\s*\d+\s*/\s*\d*\s*[smh]\s*$")
    """Customer messages per conversation token (REST and WebSocket)."""
    rate_limit_agent_calls: str = Field("1200/1m", pattern=r"^\s*\d+\s*/\s*\d*\s*[smh]\s*$")
    """Calls per agent API key."""
    max_message_chars: int = Field(8000, ge=1)
    max_ai_turns: int = Field(6, ge=1, le=100)
    """Escalate when the AI has replied this many times without resolving the conversation."""
    governance_policy: Path | None = None
    """Governance policy file (escalation triggers, action rules); None: the bundled default.yaml.
    When ``max_ai_turns`` is set explicitly it overrides the policy's ``ai_turns`` rule."""
    flows_dir: Path | None = None
    """A folder of the team's own specialist flows (``*.yaml``, see docs/specialists.md): they add
    to the bundled flows or replace one of the same name, for every workspace; a subfolder named
    after a workspace's slug does so for that workspace only. None: the bundled flows alone."""

    router: str = Field("skills", pattern="^(skills|fifo)$")
    """How escalated conversations reach people: ``skills`` (the routing rules: skills, language,
    seniority, load and service levels, assigned automatically) or ``fifo`` (one queue that agents
    pull from themselves)."""
    routing_rules: Path | None = None
    """Routing rules file for the ``skills`` router; None: the bundled routing/data/default.yaml."""
    routing_sweep_s: float = Field(15.0, ge=0)
    """Seconds between passes of the routing timer, which hands waiting conversations to agents
    with room once their wait has widened what they need; 0 turns it off."""
    settle_after_s: float = Field(1800.0, gt=0)
    """Quiet time after which a conversation the AI holds closes: resolved by the AI when its latest
    answer settled the request, abandoned otherwise (docs/outcomes.md)."""
    reopen_window_s: float = Field(7 * 86400.0, ge=0)
    """How long after closing a customer's new message reopens the conversation; later they are
    asked to start a new one."""
    outcome_sweep_s: float = Field(10.0, ge=0)
    """Seconds between passes of the outcome timer (quiet conversations, due follow-ups); 0 turns
    it off."""
    cost_ai_reply: float = Field(0.05, ge=0)
    """What one AI reply costs (model and infrastructure), for the cost-per-resolution KPI."""
    cost_agent_hour: float = Field(30.0, ge=0)
    """What an hour of a person's time on conversations costs (loaded), for the same KPI."""
    cost_currency: str = Field("USD", min_length=1, max_length=8)
    message_lease_s: float = Field(10.0, gt=0, le=3600)
    """How long a worker holds a customer message it is handling. A message whose worker died is
    answered by another worker once this has passed (services/recovery.py)."""
    max_inflight_turns: int = Field(16, ge=1, le=10_000)
    """Customer messages one server process handles at once; one more is refused at once with 503
    and Retry-After (nothing stored), instead of queueing behind the others (api/backpressure.py)."""
    recovery_interval_s: float = Field(1.0, ge=0)
    """Seconds between looks for stranded messages and left-behind events; 0 turns both loops off."""
    max_handling_attempts: int = Field(5, ge=1, le=50)
    """Tries at handling one message before the AI gives up and a person takes the conversation."""
    approval_sla_s: float = Field(600.0, gt=0)
    """Seconds the agent an approval task is offered to has to decide it. Once past, the routing
    sweep offers it to another online agent with the authority; until then any qualified agent
    may decide it too."""

    embedder: str = "default"
    """Sentence vectors for triage and knowledge search: ``default`` (the bundled MiniLM int8 ONNX),
    a local model directory (an ONNX sentence-transformers export with tokenizer.json), or
    ``openai:<model>`` (an OpenAI-compatible ``/embeddings`` endpoint, see ``embeddings_*``)."""
    embeddings_base_url: str | None = None
    """Endpoint for an ``openai:<model>`` embedder. None: ``llm_base_url`` (and its key)."""
    embeddings_api_key: str | None = None
    """Bearer key for ``embeddings_base_url``. None: no key, or ``llm_api_key`` when the LLM's
    endpoint is used."""
    embeddings_dimension: int | None = Field(None, ge=1)
    """Vector length the endpoint must return. None: learned from its first answer."""
    embeddings_batch_size: int = Field(64, ge=1, le=2048)
    """Texts per ``/embeddings`` request."""
    embeddings_timeout_s: float = Field(30.0, gt=0)
    intent_model: str | None = None
    """Intent model for triage: a directory written by ``relaydesk nlu train`` or an intents
    YAML/CSV file (trained on first use). None: ``<data_dir>/models/intents/current`` when it
    exists, else the shipped store intents."""
    llm_base_url: str | None = None
    """An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp). None: no LLM."""
    llm_model: str | None = None
    llm_api_key: str | None = None
    redact_card_numbers: bool = True
    """Store every message with its Luhn-valid card numbers cut to the last four digits, and tell
    the customer so. Turning this off keeps full card numbers in transcripts and logs."""
    llm_mask_personal_data: bool = True
    """Mask the customer's emails, phone numbers, card numbers and addresses before a message is
    sent to the LLM."""
    widget_signing_secret: str | None = None
    """Shared with the sites that embed the widget: a site that signs the attributes it passes
    (``data-signature``: hex HMAC-SHA256 of the attributes as canonical JSON) gets them marked
    ``verified``, and one that signs its customer's id (``data-customer-signature``) has the chat
    attached to that customer. None: attributes are kept as told, unverified; ids are refused."""
    customer_token_ttl_s: float = Field(30 * 86400, gt=0)
    """A customer's conversation token stops working after this long without activity in the
    conversation (30 days): a leaked token does not open the conversation for good."""

    similar_case_min_similarity: float = Field(0.5, ge=-1.0, le=1.0)
    """Cosine similarity below which similar-case search does not show a past conversation."""

    knowledge_answer_threshold: float | None = Field(None, ge=0.0, le=1.0)
    """Knowledge confidence below which the AI abstains ("missing knowledge"). None: calibrated default."""
    knowledge_max_source_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    """Largest file, page or upload the knowledge base ingests."""
    knowledge_url_allow_private: bool = False
    """Let knowledge sources be fetched from hosts that resolve to loopback, private or link-local
    addresses (an intranet help center). Off: anyone who may add a source could otherwise make the
    server read internal services."""
    knowledge_url_hosts: list[str] = []
    """When not empty, the only hosts (and their subdomains) knowledge URLs may be fetched from."""

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(f'database_url "{value}" must start with sqlite:// or postgresql://')
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if value.startswith("openai:"):
            if not value.removeprefix("openai:").strip():
                raise ValueError(f'embedder "{value}" names no model; write openai:<model-name>')
            return value
        if value in LOCAL_EMBEDDER_NAMES or Path(value).is_dir():
            return value
        raise ValueError(
            f'embedder "{value}" is neither "default", "openai:<model-name>" nor an existing directory'
        )

    @model_validator(mode="after")
    def _remote_embedder_has_an_endpoint(self) -> Settings:
        if self.embedder.startswith("openai:") and not (self.embeddings_base_url or self.llm_base_url):
            raise ValueError(
                f'embedder "{self.embedder}" needs an endpoint: set RELAYDESK_EMBEDDINGS_BASE_URL '
                "(or RELAYDESK_LLM_BASE_URL)"
            )
        return self

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")
