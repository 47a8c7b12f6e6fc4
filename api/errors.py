"""Errors as RFC 9457 problem documents (``application/problem+json``).

Code raises ``Problem(status, key, **values)``; the handler renders the message
``key`` in the request's language (Vietnamese by default). Every other exception is
logged with its traceback and answered with a plain 500 problem: a client never
sees a stack trace. ``Problem`` pickles, so a worker process can raise it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = ["PROBLEM_TYPE", "Problem", "install_handlers", "message", "request_lang"]

log = logging.getLogger("luocdo.api")

PROBLEM_TYPE = "application/problem+json"

# key: (vi, en). Values in braces are filled from Problem.values.
MESSAGES: dict[str, tuple[str, str]] = {
    "bad_query": ("Truy vấn SPARQL không hợp lệ: {reason}", "Invalid SPARQL query: {reason}"),
    "bad_request": ("Yêu cầu không hợp lệ: {reason}", "Bad request: {reason}"),
    "validation": ("Tham số không hợp lệ.", "Invalid parameters."),
    "not_found": ("Không có tài nguyên {path}.", "No resource at {path}."),
    "method": ("Phương thức {method} không được hỗ trợ ở đây.",
               "Method {method} is not allowed here."),
    "no_document": ("Không tìm thấy văn bản {id}.", "No document {id}."),
    "ambiguous": ("Có nhiều văn bản mang số ký hiệu {id}; hãy dùng khóa định danh.",
                  "Several documents carry symbol {id}; use the identity key."),
    "no_section": ("Đề cương kèm theo {id} không có mục {section}.",
                   "The outline attached to {id} has no section {section}."),
    "no_outline": ("{id} không có đề cương báo cáo kèm theo.",
                   "{id} has no report outline attached."),
    "no_source": ("Không có tệp nguồn {id}.", "No source file {id}."),
    "not_acceptable": ("Không có định dạng nào phù hợp với Accept; có: {offered}.",
                       "No format matches Accept; offered: {offered}."),
    "bad_format": ("Định dạng {format} không dùng được cho truy vấn {form}; dùng: {offered}.",
                   "Format {format} does not apply to a {form} query; use: {offered}."),
    "media_type": ("Kiểu nội dung {type} không được hỗ trợ.", "Content type {type} is not "
                   "supported."),
    "too_large": ("Nội dung quá lớn (tối đa {limit} byte).",
                  "Request body too large (at most {limit} bytes)."),
    "timeout": ("Truy vấn vượt quá {seconds} giây và đã bị hủy.",
                "The query ran over {seconds} s and was cancelled."),
    "busy": ("Máy chủ đang bận, hãy thử lại sau.", "The server is busy; try again later."),
    "index_building": ("Chỉ mục tìm kiếm văn bản đang được xây dựng; hãy thử lại sau ít giây.",
                       "The document search index is being built; try again in a few "
                       "seconds."),
    "report_building": ("Báo cáo trên toàn bộ kho ({report}) đang được lập; hãy thử lại "
                        "sau ít giây.",
                        "The whole-store report ({report}) is being built; try again in a "
                        "few seconds."),
    "update_disabled": ("Máy chủ chỉ cho phép đọc (SPARQL Update đang tắt).",
                        "The server is read-only (SPARQL Update is off)."),
    "writes_disabled": ("Chưa cấu hình mã truy cập ghi (LUOCDO_UPDATE_TOKEN).",
                        "No write token is configured (LUOCDO_UPDATE_TOKEN)."),
    "unauthorized": ("Thiếu hoặc sai mã truy cập (Authorization: Bearer …).",
                     "Missing or wrong token (Authorization: Bearer …)."),
    "service_refused": ("Không được gọi dịch vụ từ xa {target} (ngoài danh sách cho phép).",
                        "Remote call to {target} refused (not on the allow-list)."),
    "store_error": ("Lỗi kho dữ liệu: {reason}", "Store error: {reason}"),
    "worker_died": ("Tiến trình truy vấn dừng bất thường; đã khởi động lại.",
                    "The query worker stopped unexpectedly and was restarted."),
    "ingest_failed": ("Không nạp được {n} tệp.", "{n} files could not be ingested."),
    "unreadable": ("Không đọc được tệp {name}: {reason}", "Cannot read {name}: {reason}"),
    "no_files": ("Không có tệp nào được gửi lên.", "No file was uploaded."),
    "internal": ("Lỗi nội bộ máy chủ; chi tiết đã được ghi vào nhật ký.",
                 "Internal server error; the details were logged."),
}

TITLES: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Bad Request"),
    401: ("Chưa xác thực", "Unauthorized"),
    403: ("Không được phép", "Forbidden"),
    404: ("Không tìm thấy", "Not Found"),
    405: ("Phương thức không được phép", "Method Not Allowed"),
    406: ("Không có định dạng phù hợp", "Not Acceptable"),
    409: ("Không xác định duy nhất", "Conflict"),
    413: ("Nội dung quá lớn", "Content Too Large"),
    415: ("Kiểu nội dung không hỗ trợ", "Unsupported Media Type"),
    422: ("Không xử lý được", "Unprocessable Content"),
    500: ("Lỗi máy chủ", "Internal Server Error"),
    502: ("Lỗi kho dữ liệu", "Bad Gateway"),
    503: ("Dịch vụ tạm thời không đáp ứng", "Service Unavailable"),
}


class Problem(StarletteHTTPException):
    """An error answer: HTTP ``status``, message ``key`` with ``values``, extra members.

    A subclass of Starlette's ``HTTPException``, so FastAPI lets it through untouched
    when it is raised while a request body is read (``api.app.BodyLimit``).

    Args:
        status: HTTP status code.
        key: a key of ``MESSAGES``.
        extra: members added to the problem document (e.g. ``candidates``).
        headers: response headers (``WWW-Authenticate``, ``Retry-After``).
        **values: what the message's braces are filled with.
    """

    def __init__(self, status: int, key: str, *, extra: Mapping[str, Any] | None = None,
                 headers: Mapping[str, str] | None = None, **values: Any) -> None:
        super().__init__(status_code=status, detail=key, headers=dict(headers or {}))
        self.status = status
        self.key = key
        self.values = dict(values)
        self.extra = dict(extra or {})
        self.headers: dict[str, str] = dict(headers or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.status, self.key, self.extra, self.headers, self.values))

    def body(self, lang: str, instance: str | None = None) -> dict[str, Any]:
        """The problem document in ``lang``."""
        vi, en = TITLES.get(self.status, TITLES[500])
        doc: dict[str, Any] = {
            "type": f"urn:luocdo:problem:{self.key}",
            "title": en if lang == "en" else vi,
            "status": self.status,
            "detail": message(self.key, lang, **self.values),
        }
        if instance:
            doc["instance"] = instance
        doc.update(self.extra)
        return doc


def _rebuild(status: int, key: str, extra: dict[str, Any], headers: dict[str, str],
             values: dict[str, Any]) -> Problem:
    return Problem(status, key, extra=extra, headers=headers, **values)


def message(key: str, lang: str, **values: Any) -> str:
    """Message ``key`` in ``lang`` (``vi`` or ``en``) with ``values`` filled in."""
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


def request_lang(request: Request) -> str:
    """The ``lang`` query parameter (``vi`` or ``en``), else the configured language.

    The browser's Accept-Language is deliberately not used: many Vietnamese offices run
    English-locale systems, and luocdo's users read Vietnamese by default. English is
    chosen explicitly (``?lang=en`` or ``LUOCDO_LANG=en``).
    """
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in ("vi", "en"):
        return asked
    settings = getattr(request.app.state, "settings", None)
    return str(getattr(settings, "lang", "vi"))


def problem_response(request: Request, problem: Problem) -> JSONResponse:
    """Render ``problem`` for ``request``."""
    body = problem.body(request_lang(request), request.url.path)
    return JSONResponse(body, status_code=problem.status, media_type=PROBLEM_TYPE,
                        headers=problem.headers or None)


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")),
         "type": str(e.get("type", ""))}
        for e in exc.errors()
    ]
    return problem_response(request, Problem(422, "validation", extra={"errors": errors}))


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        problem = Problem(404, "not_found", path=request.url.path)
    elif exc.status_code == 405:
        problem = Problem(405, "method", method=request.method)
    else:
        problem = Problem(exc.status_code, "bad_request", reason=str(exc.detail))
    problem.headers.update(exc.headers or {})
    return problem_response(request, problem)


async def _on_anything(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, Problem(500, "internal"))


def install_handlers(app: FastAPI) -> None:
    """Register the problem+json handlers on ``app``."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_anything)
