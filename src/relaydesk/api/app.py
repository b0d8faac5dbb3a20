"""``create_app(settings)``: the FastAPI application. Nothing connects until the app starts."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

import relaydesk
from relaydesk.api import access
from relaydesk.api.backpressure import TurnAdmission, TurnGate
from relaydesk.api.errors import install_error_handlers
from relaydesk.api.limits import BodySizeLimit
from relaydesk.api.rate_limits import RateLimiter, RateLimitMiddleware
from relaydesk.api.routes import agent, agent_tools, csat, customer, desk, governance, home, reports, streams
from relaydesk.services.runtime import Runtime, build_runtime
from relaydesk.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The app for ``settings``; pass a ready ``runtime`` to share one (tests, the demo)."""
    settings = settings or (runtime.settings if runtime else Settings())
    owns_runtime = runtime is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.runtime is None:
            # Storage and the bus now (fast); the models in the background, so the server answers
            # at once and /healthz says "starting" until they are in.
            app.state.runtime = await run_in_threadpool(build_runtime, settings, background=True)
        runtime: Runtime = app.state.runtime
        # Timers: the routing sweep, and recovery of stranded messages and left-behind events,
        # continuously (a message whose worker died is answered within seconds, no restart).
        runtime.start_background()
        try:
            yield
        finally:
            await run_in_threadpool(runtime.stop_background)
            app.state.rate_limiter.close()
            if owns_runtime:
                await run_in_threadpool(runtime.close)

    app = FastAPI(
        title="relaydesk",
        version=relaydesk.__version__,
        description="Hybrid AI-human customer support: customer and agent APIs, WebSocket streams.",
        lifespan=lifespan,
        docs_url=None,  # served by relaydesk.web with local assets (the default page loads a CDN)
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.home_links = []
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes, header_limit=settings.max_header_bytes)
    app.state.turn_gate = TurnGate(settings.max_inflight_turns)  # 503 past the limit
    app.add_middleware(TurnAdmission, gate=app.state.turn_gate)
    app.state.rate_limiter = RateLimiter(settings)
    app.add_middleware(RateLimitMiddleware, limiter=app.state.rate_limiter)
    for module in (home, customer, csat, agent, agent_tools, desk, governance, reports, streams):
        app.include_router(module.router)
    from relaydesk.api.routes import admin, follow_ups, knowledge, privacy

    app.include_router(admin.router)
    app.include_router(privacy.router)  # POST /v1/admin/customers/{customer}/erasure

    app.include_router(knowledge.router)
    app.include_router(follow_ups.router)
    from relaydesk.web import pages

    pages.install(app)
    access.annotate(app)
    return app
