"""``/``: where to go, for a person who just opened the server in a browser."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

router = APIRouter(tags=["home"])

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>relaydesk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto;
        padding: 0 1rem; color: #1d2430; }}
 h1 {{ margin-bottom: .2rem; }} p.lead {{ color: #5a6473; margin-top: 0; }}
 a {{ color: #0b5cad; }} li {{ margin: .4rem 0; }} code {{ background: #f1f3f6; padding: 0 .3rem; }}
</style></head>
<body>
<h1>relaydesk</h1>
<p class="lead">Hybrid AI and human customer support: the AI handles the routine, people take the rest.</p>
<h2>Where to go</h2>
<ul>
{links}
</ul>
<h2>Health</h2>
<p><a href="/healthz">/healthz</a> answers <code>starting</code> while the models load and
<code>ready</code> once they are in.</p>
</body></html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    links = list(getattr(request.app.state, "home_links", []))
    links += [
        ("/docs", "API reference (OpenAPI, try requests in the browser)"),
        ("/openapi.json", "OpenAPI document"),
    ]
    items = "\n".join(f'<li><a href="{href}">{href}</a> — {label}</li>' for href, label in links)
    return HTMLResponse(PAGE.format(links=items))


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """``starting`` while the models load (messages posted meanwhile wait for them), ``ready``
    once everything is in, ``failed`` (503) when the models could not load."""
    from sqlalchemy import text

    runtime = request.app.state.runtime
    if runtime is None:
        return JSONResponse({"status": "starting", "database": "pending"})
    with runtime.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    if runtime.load_error is not None:
        return JSONResponse({"status": "failed", "database": "ok"}, status_code=503)
    if runtime.ready:
        return JSONResponse({"status": "ready", "database": "ok"})
    return JSONResponse({"status": "starting", "database": "ok", "waiting_for": runtime.waiting_for})
