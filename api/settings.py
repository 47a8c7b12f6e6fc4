"""Settings of the HTTP API, read from ``LUOCDO_*`` environment variables.

Every field can be set as ``LUOCDO_<FIELD>`` (upper case), e.g.
``LUOCDO_QUERY_TIMEOUT_S=5``. List fields (``service_allowlist``, ``cors_origins``)
take a comma-separated string or a JSON list. ``docs/api.md`` has the table.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings"]


def _split(value: Any) -> Any:
    """``"a, b"`` or ``'["a", "b"]'`` → ``["a", "b"]``; lists pass through."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        return json.loads(text)
    return [part.strip() for part in text.split(",") if part.strip()]


class Settings(BaseSettings):
    """Configuration of one API instance (``create_app(settings)``)."""

    model_config = SettingsConfigDict(env_prefix="LUOCDO_", extra="ignore", frozen=True)

    store: str | None = Field(
        default=None,
        description="Store directory, ':memory:' or a SPARQL endpoint URL "
        "(default: the user data folder, as for the CLI).",
    )
    base_iri: str | None = Field(default=None, description="Base IRI of minted IRIs.")
    query_timeout_s: float = Field(
        default=10.0, gt=0, description="Time limit of one query or report, in seconds."
    )
    max_rows: int = Field(
        default=10_000, gt=0, description="Most rows (or triples) one SPARQL answer returns."
    )
    max_upload_bytes: int = Field(
        default=20 * 1024 * 1024, gt=0, description="Largest request body of /ingest and /check."
    )
    max_query_bytes: int = Field(
        default=1024 * 1024, gt=0, description="Largest body of any other request (/sparql)."
    )
    update_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for writes (/ingest, DELETE /sources, SPARQL Update). "
        "Unset: no writes at all.",
    )
    enable_update: bool = Field(
        default=False, description="Accept SPARQL Update at /sparql (still needs the token)."
    )
    service_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Hosts a query may reach with SERVICE (and an update with LOAD).",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: CORS closed."
    )
    lang: Literal["vi", "en"] = Field(
        default="vi", description="Language of messages (Accept-Language may override)."
    )
    query_workers: int = Field(
        default=2,
        ge=0,
        description="Worker processes that run queries (killed on timeout); "
        "0: threads, whose queries cannot be cancelled.",
    )
    max_worker_mb: float = Field(
        default=400.0, ge=0,
        description="A query worker that holds more resident memory than this (MB) once "
                    "it has answered is replaced by a new one (Python keeps most of "
                    "what a large answer used); 0: never.",
    )
    max_graph_depth: int = Field(
        default=3, ge=1, le=10, description="Largest depth of /documents/{id}/graph."
    )
    report_timeout_s: float = Field(
        default=600.0, gt=0,
        description="Time limit of one whole-store report (/calendar.ics, /conflicts, "
                    "/submissions, /obligations without a window), built in the "
                    "background, in seconds.",
    )
    warm_reports: bool = Field(
        default=True,
        description="Build the whole-store reports in the background after start and "
                    "after every write, before anyone asks (embedded store only; "
                    "otherwise each is built when first asked for).",
    )
    stale_reports: bool = Field(
        default=True,
        description="While a whole-store report is brought up to date after a write, "
                    "serve its previous answer at once, marked with the header "
                    "X-Report-Stale: true, unless the request says Cache-Control: "
                    "no-cache (which waits for the current answer, as this setting off "
                    "does for every request).",
    )
    keep_reports: bool = Field(
        default=True,
        description="Keep the whole-store reports on disk (luocdo-reports.sqlite beside "
                    "the store) so that a restart of an unchanged store serves them at "
                    "once instead of building them again (embedded store only).",
    )
    answer_cache_entries: int = Field(
        default=2048, ge=0,
        description="Answers kept until the next write (documents, traces, obligation "
                    "windows; the whole-store reports are kept apart); 0: none.",
    )
    document_answers: bool = Field(
        default=True,
        description="Keep the answer of /documents/{id} for every document on disk "
                    "(luocdo-answers.sqlite beside the store), filled in the background "
                    "and kept in step with writes (embedded store only).",
    )
    document_answer_workers: int = Field(
        default=1, ge=1, le=64,
        description="Query workers the background work (the fill of the kept /documents "
                    "answers and the whole-store reports, together) may keep busy at once "
                    "(the others answer requests).",
    )

    @field_validator("service_allowlist", "cors_origins", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("lang", mode="before")
    @classmethod
    def _lang(cls, value: Any) -> Any:
        """``en_US.UTF-8`` and the like mean English; anything else Vietnamese."""
        return "en" if str(value).lower().startswith("en") else "vi"

    @field_validator("service_allowlist")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        return [host.lower() for host in value]

    def token(self) -> str | None:
        """The update token in clear (never log it), or None when writes are off."""
        if self.update_token is None:
            return None
        secret = self.update_token.get_secret_value()
        return secret or None
