"""``luocdo trace|check|conflicts|submissions|calendar``: the report-drafter commands.

Human output is Vietnamese by default (``--lang en`` for English); every command
has ``--json`` (except ``calendar``, whose output is an .ics file). Exit codes:
0 nothing to act on, 1 findings that need action (missing or misplaced sections,
wrong citations, conflicting dates, late or missing submissions), 2 usage errors
(unknown symbol or section, ambiguous symbol, unreadable draft).

Register the commands on the ``luocdo`` group with ``register(main)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.table import Table

from api.cli_common import CliContext, cli_context
from api.cli_graph import store_option
from api.i18n import relation_label, t
from api.obligation_window import parties_title, party_rows
from graph.calendar import events_of, render
from graph.check import CheckReport, check_draft
from graph.reports import (
    Conflict,
    Evidence,
    SubmissionStatus,
    conflicts,
    creator_headers,
    obligations,
    submissions,
)
from graph.store import GraphStore, StoreError, open_store
from graph.trace import AmbiguousSymbol, TraceResult, UnknownSection, UnknownSymbol, trace
from ingest.models import IngestError
from ontology.terms import FREQUENCY_LABELS, Frequency, doc_type

__all__ = ["calendar_cmd", "check", "conflicts_cmd", "register", "submissions_cmd", "trace_cmd"]

# key: (vi, en). Kept here: api/i18n.py holds the labels shared by every command.
MESSAGES: dict[str, tuple[str, str]] = {
    "section": ("Mục", "Section"),
    "rules": ("Văn bản làm căn cứ", "Rules"),
    "named_in_section": ("được nêu trong mục", "named in the section"),
    "requires_report": ("văn bản yêu cầu báo cáo", "requires the report"),
    "chain": ("Chuỗi triển khai", "Implementation chain"),
    "no_chain": ("Văn bản không nêu văn bản nào mà nó triển khai.",
                 "The document names nothing it implements."),
    "report_obligations": ("Nghĩa vụ báo cáo", "Reporting obligations"),
    "none": ("(không có)", "(none)"),
    "unknown_symbol": ("Không tìm thấy văn bản có số ký hiệu {symbol} trong đồ thị.",
                       "No document with symbol {symbol} in the graph."),
    "ambiguous_symbol": (
        "Có nhiều văn bản mang số ký hiệu {symbol}; hãy ghi rõ khóa (ví dụ {example}):",
        "Several documents carry symbol {symbol}; give the key (e.g. {example}):",
    ),
    "unknown_section": ("Đề cương kèm theo {symbol} không có mục {section}. Các mục: {available}",
                        "The outline attached to {symbol} has no section {section}. "
                        "Sections: {available}"),
    "no_outline": ("{symbol} không có đề cương báo cáo kèm theo.",
                   "{symbol} has no report outline attached."),
    "store_error": ("Không mở được kho dữ liệu: {reason}", "Cannot open the store: {reason}"),
    "draft_unreadable": ("Không đọc được dự thảo: {reason}", "Cannot read the draft: {reason}"),
    "check_title": ("Kiểm tra dự thảo {draft} theo đề cương kèm theo {symbol}",
                    "Checking draft {draft} against the outline attached to {symbol}"),
    "present": ("Mục đã có", "Sections present"),
    "missing": ("Mục còn thiếu", "Missing sections"),
    "out_of_order": ("Mục sai thứ tự", "Sections out of order"),
    "appears_before": ("{number} (mục {draft} của dự thảo) đứng trước mục {before}",
                       "{number} (draft section {draft}) comes before {before}"),
    "missing_refs": ("Văn bản đề cương yêu cầu nhưng dự thảo chưa viện dẫn",
                     "Documents the outline requires that the draft does not cite"),
    "citation_issues": ("Trích dẫn không khớp với đồ thị",
                        "Citations that disagree with the graph"),
    "issue_date": ("ngày ghi {written}, đồ thị biết {expected}",
                   "written date {written}, the graph knows {expected}"),
    "issue_issuer": ("cơ quan ghi {written}, đồ thị biết {expected}",
                     "written issuer {written}, the graph knows {expected}"),
    "issue_number": ("không có trong đồ thị; văn bản cùng loại, cùng ngày là {expected}",
                     "unknown to the graph; the document of that series and date is {expected}"),
    "issue_graph_conflict": (
        "đồ thị có nhiều giá trị {field} khác nhau ({expected}); cần xác minh, chưa kết luận",
        "the graph itself holds conflicting {field} values ({expected}); verify, no verdict",
    ),
    "draft_section": ("Mục trong dự thảo", "Draft section"),
    "all_good": ("Dự thảo khớp với đề cương.", "The draft follows the outline."),
    "conflicts_title": ("Văn bản được trích dẫn với thông tin khác nhau",
                        "Documents cited with differing details"),
    "no_conflicts": ("Không có mâu thuẫn.", "No conflicts."),
    "kind_date": ("ngày ban hành", "date"),
    "kind_issuer": ("cơ quan ban hành", "issuer"),
    "value": ("Giá trị", "Value"),
    "sources": ("Nguồn", "Sources"),
    "submissions_title": ("Tình hình gửi báo cáo", "Submission status"),
    "agency": ("Cơ quan", "Agency"),
    "category": ("Loại", "Category"),
    "status": ("Tình trạng", "Status"),
    "answers": ("Theo văn bản", "Answers"),
    "on_time": ("đúng hạn", "on time"),
    "late": ("muộn", "late"),
    "missing_status": ("chưa gửi", "missing"),
    "received": ("đã gửi (không có hạn)", "received (no deadline)"),
    "computed_from": ("Nguồn dữ liệu: {source}", "Computed from: {source}"),
    "graph": ("nút gửi báo cáo trong đồ thị", "submission nodes in the graph"),
    "extraction": ("trích xuất lại bảng tổng hợp từ tệp nguồn",
                   "tables re-extracted from the source files"),
    "calendar_written": ("Đã ghi {n} thời hạn vào {path}.", "Wrote {n} deadlines to {path}."),
    "calendar_skipped": ("{n} thời hạn lặp lại không xác định được năm bắt đầu, bỏ qua.",
                         "{n} recurring deadlines have no known first year; skipped."),
}


def m(key: str, lang: str, **fields: object) -> str:
    """This module's message ``key`` in ``lang``, formatted with ``fields``."""
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**fields)


@contextmanager
def _opened(cc: CliContext, ctx: click.Context, spec: str | None, base: str | None
            ) -> Iterator[GraphStore]:
    """Open the store; a store that cannot be opened or queried is a usage error (exit 2)."""
    try:
        store = open_store(spec, base=base)
    except (StoreError, ValueError, OSError) as exc:
        _usage_error(cc, ctx, m("store_error", cc.lang, reason=str(exc)))
    try:
        yield store
    except StoreError as exc:
        _usage_error(cc, ctx, m("store_error", cc.lang, reason=str(exc)))
    finally:
        store.close()


def _json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _quote(ev: dict[str, Any] | Evidence | None, width: int = 90) -> str:
    if ev is None:
        return ""
    quote = ev.quote if isinstance(ev, Evidence) else ev.get("quote")
    text = " ".join(str(quote or "").split())
    return f"“{text[:width]}{'…' if len(text) > width else ''}”"


def _date_text(value: str | None, lang: str) -> str:
    """ISO date → "26/11/2021" (vi) or ISO (en); "--12-15" → "15/12 hằng năm" / "every 15/12"."""
    if not value:
        return ""
    if value.startswith("--"):
        month, day = value[2:4], value[5:7]
        return f"every {int(day)}/{int(month)}" if lang == "en" else (
            f"{int(day)}/{int(month)} hằng năm")
    if lang == "en":
        return value
    year, month, day = value[:4], value[5:7], value[8:10]
    return f"{day}/{month}/{year}"


def _type_text(slug: str | None, lang: str) -> str:
    if not slug:
        return ""
    try:
        info = doc_type(slug)
    except KeyError:
        return slug
    return info.en if lang == "en" else info.vi


def _frequency_text(value: str | None, lang: str) -> str:
    if not value:
        return ""
    try:
        vi, en = FREQUENCY_LABELS[Frequency(value)]
    except ValueError:
        return value
    return en if lang == "en" else vi


def _usage_error(cc: CliContext, ctx: click.Context, message: str) -> NoReturn:
    cc.err.print(f"{t('error', cc.lang)}: {message}", markup=False, soft_wrap=True)
    ctx.exit(2)


def _lookup_error(cc: CliContext, ctx: click.Context, exc: LookupError, symbol: str
                  ) -> NoReturn:
    lang = cc.lang
    if isinstance(exc, AmbiguousSymbol):
        example = exc.candidates[0].key if exc.candidates else symbol
        lines = [m("ambiguous_symbol", lang, symbol=symbol, example=example)]
        lines += [
            f"  - {d.key}  {d.date.isoformat() if d.date else t('unknown', lang)}  {d.title or ''}"
            for d in exc.candidates
        ]
        _usage_error(cc, ctx, "\n".join(lines))
    elif isinstance(exc, UnknownSection):
        available = ", ".join(exc.available) or m("none", lang)
        _usage_error(cc, ctx, m("unknown_section", lang, symbol=symbol, section=exc.number,
                                available=available))
    elif isinstance(exc, UnknownSymbol):
        _usage_error(cc, ctx, m("unknown_symbol", lang, symbol=symbol))
    else:
        _usage_error(cc, ctx, m("no_outline", lang, symbol=symbol))


# --- trace ------------------------------------------------------------------------------------


def print_trace(cc: CliContext, r: TraceResult) -> None:
    """Section, rules, implementation chain and obligations as tables."""
    lang, out = cc.lang, cc.console
    out.rule(f"{m('section', lang)} {r.section.number}: {r.section.title[:80]}")
    out.print(_quote(r.section.evidence), markup=False)
    rules = Table(title=m("rules", lang))
    for col in ("symbol", "date", "relation", "quote"):
        rules.add_column(t(col, lang), overflow="fold")
    for rule in r.rules:
        rules.add_row(rule["symbol"] or rule["key"] or t("unknown", lang),
                      _date_text(rule["date"], lang), m(rule["role"], lang),
                      _quote(rule["evidence"]))
    out.print(rules)
    chain = Table(title=m("chain", lang))
    for col in ("symbol", "type", "date", "relation", "quote"):
        chain.add_column(t(col, lang), overflow="fold")
    for hop in r.chain:
        chain.add_row(hop["symbol"] or hop["key"] or "", _type_text(hop["type"], lang),
                      _date_text(hop["date"], lang), relation_label(hop["relation"], lang),
                      _quote(hop["evidence"]))
    out.print(chain if r.chain else m("no_chain", lang))
    obls = Table(title=m("report_obligations", lang))
    for col in ("deadline", "frequency", "recipient", "bearer", "quote"):
        obls.add_column(t(col, lang), overflow="fold")
    for o in r.obligations:
        obls.add_row(_date_text(o["deadline"], lang), _frequency_text(o["frequency"], lang),
                     o["recipient"] or "", o["bearer"] or "", _quote(o["evidence"]))
    out.print(obls if r.obligations else f"{m('report_obligations', lang)}: {m('none', lang)}")


@click.command("trace")
@click.argument("symbol")
@click.argument("section")
@click.option("--json", "as_json", is_flag=True, help="Print the trace as JSON.")
@store_option
@click.pass_context
def trace_cmd(ctx: click.Context, symbol: str, section: str, as_json: bool,
              store_spec: str | None, base_iri: str | None) -> None:
    """Trace SECTION of the outline attached to SYMBOL to the rules behind it."""
    cc = cli_context(ctx)
    with _opened(cc, ctx, store_spec, base_iri) as store:
        try:
            result = trace(store, symbol, section, base=base_iri)
        except LookupError as exc:
            _lookup_error(cc, ctx, exc, symbol)
    if as_json:
        _json(result.as_dict())
    else:
        print_trace(cc, result)


# --- check ------------------------------------------------------------------------------------


def _issue_text(issue: dict[str, Any], lang: str) -> str:
    show = (lambda v: _date_text(v, lang)) if issue["field"] == "date" else (lambda v: v)
    expected = "; ".join(show(v["value"]) for v in issue["expected"])
    field = m(f"kind_{issue['field']}", lang) if issue["field"] in ("date", "issuer") else ""
    return m(f"issue_{issue['kind']}", lang, written=show(issue["written"]), expected=expected,
             field=field)


def print_check(cc: CliContext, report: CheckReport) -> None:
    """Findings of a draft check, one list per kind."""
    lang, out, d = cc.lang, cc.console, report.as_dict()
    out.rule(m("check_title", lang, draft=report.draft, symbol=report.against.label))
    _section_list(cc, m("present", lang), [
        f"{p['number']} ← {p['draft_number']}  {p['title'][:70]}" for p in d["present"]
    ])
    _section_list(cc, m("missing", lang), [f"{s['number']}  {s['title'][:80]}"
                                          for s in d["missing"]])
    _section_list(cc, m("out_of_order", lang), [
        m("appears_before", lang, number=o["number"], draft=o["draft_number"], before=o["before"])
        for o in d["out_of_order"]
    ])
    _section_list(cc, m("missing_refs", lang), [
        f"{r['number']} ({m('draft_section', lang)} {r['draft_number']}): {r['symbol'] or r['key']}"
        for r in d["missing_references"]
    ])
    _section_list(cc, m("citation_issues", lang), [
        f"{i['symbol']}: {_issue_text(i, lang)}  {_quote(i['evidence'], 70)}"
        for i in d["citation_issues"]
    ])
    if not report.needs_action:
        out.print(m("all_good", lang))


def _section_list(cc: CliContext, title: str, lines: Iterable[str]) -> None:
    items = list(lines)
    cc.console.print(f"[bold]{title}[/bold] ({len(items)})")
    for line in items:
        cc.console.print(f"  - {line}", markup=False, soft_wrap=True)


@click.command("check")
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--against", "against", required=True, help="Symbol of the requiring document.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@store_option
@click.pass_context
def check(ctx: click.Context, draft: Path, against: str, as_json: bool,
          store_spec: str | None, base_iri: str | None) -> None:
    """Check the DRAFT report against the outline attached to --against SYMBOL."""
    cc = cli_context(ctx)
    with _opened(cc, ctx, store_spec, base_iri) as store:
        try:
            report = check_draft(store, draft, against, base=base_iri)
        except IngestError as exc:
            _usage_error(cc, ctx, m("draft_unreadable", cc.lang, reason=str(exc)))
        except LookupError as exc:
            _lookup_error(cc, ctx, exc, against)
    if as_json:
        _json(report.as_dict())
    else:
        print_check(cc, report)
    ctx.exit(1 if report.needs_action else 0)


# --- conflicts --------------------------------------------------------------------------------


def _where(ev: Evidence) -> str:
    return f"{Path(ev.source or '?').name}:{ev.start}-{ev.end}"


def print_conflicts(cc: CliContext, found: list[Conflict]) -> None:
    """One table per conflicting document: each value with every quote."""
    lang = cc.lang
    if not found:
        cc.console.print(m("no_conflicts", lang))
        return
    for c in found:
        tbl = Table(title=f"{c.symbol or c.key} — {m('kind_' + c.kind, lang)}")
        tbl.add_column(m("value", lang))
        tbl.add_column(m("sources", lang), overflow="fold")
        for v in c.values:
            value = _date_text(v.value, lang) if c.kind == "date" else v.value
            tbl.add_row(value, "\n".join(f"{_where(e)} {_quote(e, 80)}" for e in v.sources))
        cc.console.print(tbl)


@click.command("conflicts")
@click.option("--json", "as_json", is_flag=True, help="Print the conflicts as JSON.")
@click.option("--kind", type=click.Choice(["date", "issuer"]), default=None,
              help="Only conflicts of dates, or of issuers (as GET /conflicts?kind=).")
@store_option
@click.pass_context
def conflicts_cmd(ctx: click.Context, as_json: bool, kind: str | None,
                  store_spec: str | None, base_iri: str | None) -> None:
    """Documents cited with different dates or issuers across the corpus."""
    cc = cli_context(ctx)
    with _opened(cc, ctx, store_spec, base_iri) as store:
        found = [c for c in conflicts(store) if kind is None or c.kind == kind]
    if as_json:
        _json([c.as_dict() for c in found])
    else:
        cc.console.rule(m("conflicts_title", cc.lang))
        print_conflicts(cc, found)
    ctx.exit(1 if found else 0)


# --- submissions ------------------------------------------------------------------------------


def _status_label(status: str, lang: str) -> str:
    return m("missing_status" if status == "missing" else status, lang)


def print_submissions(cc: CliContext, rows: list[SubmissionStatus]) -> None:
    """One row per agency and column, with deadline and status."""
    lang = cc.lang
    tbl = Table(title=m("submissions_title", lang))
    for col in ("agency", "category"):
        tbl.add_column(m(col, lang), overflow="fold")
    tbl.add_column(t("symbol", lang))
    tbl.add_column(t("date", lang))
    tbl.add_column(t("deadline", lang))
    tbl.add_column(m("status", lang))
    tbl.add_column(m("answers", lang))
    for s in rows:
        tbl.add_row(
            s.agency, s.category[:40], s.symbol or "",
            _date_text(s.date.isoformat() if s.date else None, lang),
            _date_text(s.deadline.isoformat() if s.deadline else None, lang),
            _status_label(s.status, lang), s.obligation_symbol or "",
        )
    cc.console.print(tbl)
    if rows:
        cc.console.print(m("computed_from", lang, source=m(rows[0].source, lang)))


@click.command("submissions")
@click.option("--obligation", default=None,
              help="Only records answering this obligation (IRI, ISO deadline or column text).")
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
@store_option
@click.pass_context
def submissions_cmd(ctx: click.Context, obligation: str | None, as_json: bool,
                    store_spec: str | None, base_iri: str | None) -> None:
    """Submissions from report appendix tables, judged against their deadlines."""
    cc = cli_context(ctx)
    with _opened(cc, ctx, store_spec, base_iri) as store:
        rows = submissions(store, obligation)
    if as_json:
        _json([s.as_dict() for s in rows])
    else:
        print_submissions(cc, rows)
    ctx.exit(1 if any(s.status in ("late", "missing") for s in rows) else 0)


# --- calendar ---------------------------------------------------------------------------------


@click.command("calendar")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the iCalendar here (default: standard output).")
@click.option("--bearer", default=None,
              help="Only the deadlines of this bearer (words; diacritics, case and "
                   "abbreviations such as UBND do not matter).")
@click.option("--recipient", default=None,
              help="Only the deadlines of reports sent to this recipient (words, as --bearer).")
@store_option
@click.pass_context
def calendar_cmd(ctx: click.Context, output: Path | None, bearer: str | None,
                 recipient: str | None, store_spec: str | None, base_iri: str | None) -> None:
    """Every obligation deadline as an RFC 5545 calendar (.ics), or a bearer's or
    recipient's (the same as GET /calendar.ics?bearer=…&recipient=…)."""
    cc = cli_context(ctx)
    with _opened(cc, ctx, store_spec, base_iri) as store:
        facts = obligations(store)
        events, skipped = events_of(creator_headers(store, facts), facts)
    if bearer or recipient:
        # filtered after the events are made: a document's year may come from any of its
        # obligations, so the whole calendar's event of an obligation is the one kept
        parties = [{"iri": o.iri, "bearer": o.bearer, "recipient": o.recipient} for o in facts]
        kept = {r["iri"] for r in party_rows(parties, bearer, recipient)}
        events = [e for e in events if e.obligation in kept]
        skipped = [o for o in skipped if o.iri in kept]
    text = render(events, parties_title(bearer, recipient))
    if output is None:
        click.echo(text.encode("utf-8"), nl=False)  # bytes: CRLF line ends kept as written
    else:
        output.write_bytes(text.encode("utf-8"))
        cc.err.print(m("calendar_written", cc.lang, n=len(events), path=output), markup=False)
    if skipped:
        cc.err.print(m("calendar_skipped", cc.lang, n=len(skipped)), markup=False)


COMMANDS: tuple[click.Command, ...] = (trace_cmd, check, conflicts_cmd, submissions_cmd,
                                       calendar_cmd)


def register(group: click.Group) -> None:
    """Add the report commands to ``group`` (the ``luocdo`` CLI)."""
    for cmd in COMMANDS:
        group.add_command(cmd)
