"""The API's routers, one per resource; ``create_app`` includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    """The routers of this package (the explorer's router is added beside them)."""
    from api.routers import admin, documents, reports, sparql

    return [sparql.router, documents.router, reports.router, admin.router]
