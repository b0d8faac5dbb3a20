"""The one place where errors become HTTP responses: RFC 9457 problem+json, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from relaydesk.domain.errors import (
    ConfigurationError,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    NotReady,
    PayloadTooLarge,
    PolicyDenied,
    RelaydeskError,
    Unauthenticated,
)

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"

STATUS_BY_ERROR: dict[type[RelaydeskError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    PayloadTooLarge: 413,
    PolicyDenied: 403,
    ConfigurationError: 500,
    NotReady: 503,
}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_for(exc: RelaydeskError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]  # type: ignore[index]
    return 400


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RelaydeskError)
    async def _relaydesk_error(request: Request, exc: RelaydeskError) -> JSONResponse:
        status = status_for(exc)
        if isinstance(exc, NotReady):
            response = problem(status, exc.title, exc.detail)
            response.headers["Retry-After"] = str(exc.retry_after_s)
            return response
        if status >= 500:
            log.error("configuration error: %s", exc.detail)
            return problem(status, "Server misconfigured", "The server is misconfigured; see its log.")
        reserved = {"type", "title", "status", "detail"}
        safe_info = {
            k: v for k, v in exc.info.items() if k not in reserved and isinstance(v, str | int | float | bool)
        }
        return problem(status, exc.title, exc.detail, **safe_info)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if any(e["type"] == "json_invalid" for e in errors):
            reasons = [
                str(e.get("ctx", {}).get("error", ""))
                for e in exc.errors()
                if e.get("type") == "json_invalid"
            ]
            detail = "The request body is not valid JSON."
            if any("recursion" in r for r in reasons):
                detail = "The request body is nested too deeply to read (keep JSON under 200 levels)."
            return problem(400, "Malformed JSON", detail, errors=errors)
        where = "; ".join(f"{'.'.join(e['loc'][1:] or e['loc'])}: {e['msg']}" for e in errors)
        return problem(422, "Invalid input", where or "The request is invalid.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f'No route for "{request.url.path}"'
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "The request body could not be read as JSON: it is malformed or nested too deeply."
            return problem(400, "Malformed JSON", detail)
        return problem(exc.status_code, titles.get(exc.status_code, "Request failed"), detail)

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (e.g. a NUL character, a number out of range); the
        # transaction was rolled back, so nothing was half-written.
        log.warning("database refused a value on %s %s", request.method, request.url.path)
        return problem(
            422,
            "Invalid input",
            "A value in the request cannot be stored (for example a NUL character or a number out of range).",
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "Something went wrong on our side; it has been logged.")
