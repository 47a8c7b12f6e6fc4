"""State shared by CLI subcommands (language, console)."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from rich.console import Console


@dataclass
class CliContext:
    lang: str = "vi"
    console: Console = field(default_factory=lambda: Console(highlight=False))
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))


def cli_context(ctx: click.Context) -> CliContext:
    obj = ctx.find_object(CliContext)
    return obj if obj is not None else CliContext()
