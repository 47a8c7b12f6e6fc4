"""``luocdo serve``: run the HTTP API and SPARQL endpoint with uvicorn.

Options given here override the ``LUOCDO_*`` variables (``api.settings``); the rest
of the configuration (token, timeouts, CORS, SERVICE allow-list) comes from them.
"""

from __future__ import annotations

import logging
from typing import Any

import click

from api.cli_graph import store_option

__all__ = ["serve"]


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port.")
@click.option("--workers", "query_workers", default=None, type=click.IntRange(0, 64),
              help="Query worker processes (0: threads, no cancellation). "
                   "Default: $LUOCDO_QUERY_WORKERS or 2.")
@click.option("--timeout", "query_timeout_s", default=None, type=click.FloatRange(min=0.1),
              help="Query time limit in seconds. Default: $LUOCDO_QUERY_TIMEOUT_S or 10.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(store_spec: str | None, base_iri: str | None, host: str, port: int,
          query_workers: int | None, query_timeout_s: float | None, log_level: str) -> None:
    """Serve the HTTP API, the SPARQL endpoint (/sparql) and the API docs (/docs)."""
    import uvicorn

    from api.app import create_app
    from api.query_runner import tune_collector
    from api.settings import Settings
    from graph.store import StoreError

    # luocdo's own messages (reports, workers, the search index) beside uvicorn's
    logging.basicConfig(level=log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    given: dict[str, Any] = {"store": store_spec, "base_iri": base_iri,
                             "query_workers": query_workers, "query_timeout_s": query_timeout_s}
    settings = Settings(**{k: v for k, v in given.items() if v is not None})
    try:
        app = create_app(settings)
    except (StoreError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    tune_collector()
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)


if __name__ == "__main__":
    serve()
