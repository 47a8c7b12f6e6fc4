"""The ``luocdo`` command line: one group, subcommands composed explicitly below."""

from __future__ import annotations

import click

from api.cli_common import CliContext
from api.i18n import default_lang


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default=None,
    help="Language of human-readable output (default: vi, or $LUOCDO_LANG).",
)
@click.version_option(package_name="luocdo")
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """luocdo: knowledge graph of Vietnamese directives, citations and obligations."""
    ctx.obj = CliContext(lang=lang or default_lang())


def _compose() -> None:
    from api import cli_admin, cli_demo, cli_extract, cli_graph, cli_reports, cli_serve, cli_viz

    main.add_command(cli_extract.extract)
    main.add_command(cli_demo.demo)
    for cmd in (cli_graph.ingest, cli_graph.query, cli_graph.export, cli_graph.validate,
                cli_graph.stats):
        main.add_command(cmd)
    cli_reports.register(main)
    main.add_command(cli_admin.backup)
    main.add_command(cli_admin.restore)
    main.add_command(cli_serve.serve)
    cli_viz.register(main)


_compose()
