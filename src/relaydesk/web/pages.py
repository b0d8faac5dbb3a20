"""Routes that serve the pages and their static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from relaydesk.analytics.labels import labels_script
from relaydesk.api.deps import RuntimeDep
from relaydesk.domain.errors import NotFound
from relaydesk.services.runtime import Runtime

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
VENDOR = STATIC / "vendor"

router = APIRouter(include_in_schema=False)

PAGES = {
    "/chat": ("chat.html", "Customer chat (the same chat the widget embeds)"),
    "/console": ("console.html", "Agent console: queue, conversations, brief, co-pilot, approvals"),
    "/dashboard": ("dashboard.html", "Supervisor dashboard: queues, agents, KPIs, decisions"),
}

DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>relaydesk API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/vendor/swagger-ui.css">
<link rel="stylesheet" href="/static/docs.css"></head>
<body><main id="swagger-ui" aria-label="API reference"></main>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""

MISSING_ASSETS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>relaydesk</title></head>
<body><main><h1>Web assets are not built</h1><p>Run <code>make demo</code> (or
<code>scripts/build-web.sh</code>): it fetches the browser libraries from npm once.</p></main></body></html>
"""


def _page(name: str) -> FileResponse:
    return FileResponse(TEMPLATES / name, media_type="text/html")


MAX_SLUG_CHARS = 64
UNKNOWN_WORKSPACE_MARK = 'data-workspace="unknown"'
"""On the chat page's ``<html>`` when ``?workspace=`` names no workspace: the chat says so at once."""


for path, (template, _label) in PAGES.items():
    if path == "/chat":
        continue  # it checks its workspace first (below)

    def serve(template: str = template) -> FileResponse:
        return _page(template)

    router.add_api_route(path, serve, methods=["GET"], response_class=FileResponse)


@router.get("/chat", response_model=None)
def chat(runtime: RuntimeDep, workspace: str | None = None) -> FileResponse | HTMLResponse:
    """The customer chat. When ``workspace`` names no workspace the page still opens (404) and says
    so before the customer writes anything, instead of after their first message."""
    slug = (workspace or "").strip()
    if not slug or _workspace_exists(runtime, slug):
        return _page("chat.html")
    page = (TEMPLATES / "chat.html").read_text(encoding="utf-8")
    marked = page.replace('<html lang="en">', f'<html lang="en" {UNKNOWN_WORKSPACE_MARK}>', 1)
    return HTMLResponse(marked, status_code=404)


def _workspace_exists(runtime: Runtime, slug: str) -> bool:
    if len(slug) > MAX_SLUG_CHARS:
        return False
    try:
        runtime.store.workspace_by_slug(slug)
    except NotFound:
        return False
    return True


@router.get("/labels.js")
def labels() -> Response:
    """The words the console and the dashboard show for reason ids and priorities
    (``relaydesk.analytics.labels``): one table for the pages and the reports."""
    return Response(labels_script(), media_type="text/javascript")


@router.get("/docs")
def docs() -> HTMLResponse:
    if not (VENDOR / "swagger-ui-bundle.js").exists():
        return HTMLResponse(MISSING_ASSETS, status_code=503)
    return HTMLResponse(DOCS)


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")


@router.get("/widget.js")
def widget() -> FileResponse:
    """One script tag embeds the chat in any site: ``<script src=".../widget.js"
    data-workspace="acme"></script>``."""
    return FileResponse(STATIC / "widget.js", media_type="text/javascript")


def install(app: FastAPI) -> None:
    """Serve the pages, ``/static`` and the links on ``/``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.home_links = [(path, label) for path, (_template, label) in PAGES.items()]
