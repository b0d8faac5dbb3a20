"""Knowledge base for agents: list and add sources, remove one, search (the co-pilot uses the same)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from relaydesk.api.deps import CurrentAgent, RuntimeDep
from relaydesk.api.roles import Supervisor
from relaydesk.domain.errors import InvalidInput
from relaydesk.knowledge import IngestStatus, KnowledgeBase, KnowledgeSource, SourceFormat, SourceOutcome
from relaydesk.services.knowledge_bases import workspace_knowledge

router = APIRouter(prefix="/v1/knowledge", tags=["knowledge"])


def agent_knowledge(runtime: RuntimeDep, agent: CurrentAgent) -> KnowledgeBase:
    """The knowledge base of the agent's workspace."""
    return workspace_knowledge(runtime, agent.workspace_id)


def supervised_knowledge(runtime: RuntimeDep, agent: Supervisor) -> KnowledgeBase:
    """The knowledge base of the agent's workspace, for changing it: what the AI tells customers
    changes at once, so adding and removing sources needs the supervisor or admin role."""
    return workspace_knowledge(runtime, agent.workspace_id)


KnowledgeDep = Annotated[KnowledgeBase, Depends(agent_knowledge)]
KnowledgeEditDep = Annotated[KnowledgeBase, Depends(supervised_knowledge)]


class SourceOut(BaseModel):
    id: str
    uri: str
    title: str
    format: SourceFormat
    chunks: int
    size_bytes: int
    content_hash: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, s: KnowledgeSource) -> SourceOut:
        return cls(
            id=s.id,
            uri=s.uri,
            title=s.title,
            format=s.format,
            chunks=s.chunk_count,
            size_bytes=s.size_bytes,
            content_hash=s.content_hash,
            created_at=s.created_at,
            updated_at=s.updated_at,
        )


class AddSourceIn(BaseModel):
    """Either ``url`` (fetched by the server) or ``name`` + ``content`` (the text of a file)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    name: str | None = Field(None, min_length=1, max_length=200, description="e.g. returns.md or faq.csv")
    content: str | None = Field(None, description="The file's text (Markdown, HTML, text, CSV or JSON)")
    format: SourceFormat | None = Field(None, description="Overrides the format implied by the name")

    @model_validator(mode="after")
    def _url_or_content(self) -> AddSourceIn:
        if (self.url is None) == (self.content is None):
            raise ValueError('give either "url", or "name" and "content"')
        if self.content is not None and not self.name:
            raise ValueError('"content" needs a "name" (such as returns.md)')
        return self


class SourceOutcomeOut(BaseModel):
    uri: str
    status: IngestStatus
    chunks: int
    title: str | None

    @classmethod
    def of(cls, o: SourceOutcome) -> SourceOutcomeOut:
        return cls(uri=o.uri, status=o.status, chunks=o.chunks, title=o.title)


class CitationOut(BaseModel):
    title: str
    url: str | None
    text: str


class AnswerOut(BaseModel):
    answered: bool
    text: str | None
    confidence: float
    threshold: float
    abstain_reason: str | None
    citations: list[CitationOut]
    reasons: list[str]


class ArticleOut(BaseModel):
    title: str
    url: str | None
    score: float
    cosine: float
    passages: list[str]


class ChunkOut(BaseModel):
    article_title: str
    article_url: str | None
    headings: list[str]
    text: str
    score: float
    cosine: float
    bm25: float


class SearchOut(BaseModel):
    query: str
    confidence: float
    articles: list[ArticleOut]
    chunks: list[ChunkOut]
    answer: AnswerOut | None


@router.get("/sources", response_model=list[SourceOut])
def list_sources(kb: KnowledgeDep) -> list[SourceOut]:
    return [SourceOut.of(s) for s in kb.sources()]


@router.post("/sources", status_code=status.HTTP_201_CREATED, response_model=SourceOutcomeOut)
def add_source(body: AddSourceIn, kb: KnowledgeEditDep, response: Response) -> SourceOutcomeOut:
    """Add (or refresh) one source. Unchanged content answers 200 with status ``unchanged``."""
    if body.url is not None:
        outcome = kb.add([body.url]).outcomes[0]
    else:
        assert body.name is not None and body.content is not None
        outcome = kb.add_content(body.name, body.content, source_format=body.format)
    if outcome.status is IngestStatus.FAILED:
        raise InvalidInput(outcome.error or f'"{outcome.uri}" could not be ingested')
    if outcome.status is not IngestStatus.ADDED:
        response.status_code = status.HTTP_200_OK
    return SourceOutcomeOut.of(outcome)


@router.delete("/sources/{source_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_source(
    source_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")], kb: KnowledgeEditDep
) -> Response:
    kb.remove(source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/search", response_model=SearchOut)
def search(
    kb: KnowledgeDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="The question")],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    answer: Annotated[bool, Query(description="Also compose the answer the AI would give")] = True,
) -> SearchOut:
    result = kb.search(q, articles=limit, chunks=limit)
    composed: Any = kb.answer(q) if answer else None
    return SearchOut(
        query=result.query,
        confidence=result.confidence,
        articles=[
            ArticleOut(
                title=a.title,
                url=a.url,
                score=a.score,
                cosine=a.dense,
                passages=[c.chunk.text for c in a.chunks],
            )
            for a in result.articles
        ],
        chunks=[
            ChunkOut(
                article_title=c.chunk.article_title,
                article_url=c.chunk.article_url,
                headings=list(c.chunk.headings),
                text=c.chunk.text,
                score=c.score,
                cosine=c.dense,
                bm25=c.lexical,
            )
            for c in result.chunks
        ],
        answer=None
        if composed is None
        else AnswerOut(
            answered=composed.answered,
            text=composed.text,
            confidence=composed.confidence,
            threshold=composed.threshold,
            abstain_reason=composed.abstain_reason,
            citations=[CitationOut(title=c.title, url=c.url, text=c.text) for c in composed.citations],
            reasons=list(composed.reasons),
        ),
    )
