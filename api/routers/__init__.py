"""The API's routers, one per resource; ``create_app`` includes them in this order."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["routers"]


def routers() -> list[APIRouter]:
    """The routers of this package, the browser explorer's included."""
    from api.routers import admin, documents, explore, reports, sparql

    return [sparql.router, documents.router, reports.router, admin.router, explore.router]
