"""Seeded planner of the synthetic corpus: what each document is, before it is written.

Shape of the corpus (what real collections of Vietnamese directives look like):

* a handful of central roots (directives, resolutions, a decree, a law) come first;
* then *campaigns*: a root is forwarded by a ministry or Party commission (level 1), taken
  up by several of the 63 provinces (2), each passing it to districts (3), whose wards
  report (4) and follow up on their own report (5); the lead body often reports back
  with an appendix table of what provinces sent (``Kind.SUMMARY``);
* campaigns pick their root with Zipf weights (rank ``k`` gets ``1 / k**1.1``), so the top
  root is cited by about a third of all documents;
* every citation points to an older document; numbers restart each year per issuer and
  are unique per (symbol, year) across the whole corpus.

Memory stays bounded (counters per symbol suffix and year, one earlier letter per
province and root), so millions of plans can be streamed.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Iterator
from functools import cache

from benchmarks.synth_model import Body, Kind, Plan, Ref
from benchmarks.synth_vocab import (
    CENTRAL_HEADERS,
    CENTRAL_SIGNERS,
    COMMISSIONS,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    MINISTRIES,
    PLACE_SYLLABLES,
    PROVINCES,
    ROOTS,
    SURNAMES,
    Ministry,
    RootSpec,
)

__all__ = ["plans"]

# Campaigns start no later than this, so a six-level chain (≤ 4 steps of ≤ 30 days)
# ends before district bodies were abolished (1 July 2025).
LAST_START = dt.date(2024, 12, 31)
# Zipf exponent of root popularity.
ZIPF_S = 1.1
# Numbers above this get a letter suffix from the end of the alphabet (still unique).
MAX_NUMBER = 99_999
_OVERFLOW_LETTERS = "zyxwvutsrqp"
# First number of a series in a year, by level: big bodies issue thousands of letters.
_FIRST: dict[str, tuple[int, int]] = {
    "central": (5, 60),
    "ministry": (600, 2500),
    "province": (900, 4000),
    "district": (40, 600),
    "ward": (3, 90),
}
# Gap between consecutive numbers of one series in this corpus (other letters in between).
_STEP: dict[str, int] = {"central": 3, "ministry": 12, "province": 8, "district": 2, "ward": 1}
# Ward Party decisions a report may name, with a short title.
_WARD_PARTY_DOCS: tuple[tuple[str, str, str, str], ...] = (
    ("NQ", "nghi-quyet", "Nghị quyết", "lãnh đạo xây dựng mô hình “Chính quyền cơ sở thân thiện”"),
    ("QĐ", "quyet-dinh", "Quyết định", "thành lập tổ công tác dân vận của Đảng ủy"),
    ("KH", "ke-hoach", "Kế hoạch", "kiểm tra việc thực hiện quy chế dân chủ ở cơ sở"),
    ("CV", "cong-van", "Công văn", "đăng ký mô hình “Dân vận khéo” năm nay"),
)


class _World:
    """Mutable state of one planning run (private: plans are the output)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.counters: dict[tuple[str, int], int] = {}
        self.previous: dict[tuple[int, str], Ref] = {}
        self.roots: list[tuple[RootSpec, Ref]] = []

    def number(self, suffix: str, year: int, level: str, *, letter: bool = False) -> str:
        """Next number of the series ``suffix`` in ``year`` ("05", "1432", "30c")."""
        key = (suffix, year)
        lo, hi = _FIRST[level]
        n = self.counters.get(key, self.rng.randint(lo, hi) - 1) + self.rng.randint(
            1, _STEP[level])
        self.counters[key] = n
        text = _format_number(n)
        if letter and n <= MAX_NUMBER:
            text += self.rng.choice("abc")
        return text

    def name(self) -> str:
        r = self.rng
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE_NAMES)} {r.choice(GIVEN_NAMES)}"

    def days(self, lo: int, hi: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(lo, hi))


def _format_number(n: int) -> str:
    """Official form: leading zero below 10; beyond ``MAX_NUMBER`` wrap with a letter."""
    if n <= MAX_NUMBER:
        return f"{n:02d}"
    wrap, rest = divmod(n - 1, MAX_NUMBER)
    return f"{rest + 1:02d}{_OVERFLOW_LETTERS[(wrap - 1) % len(_OVERFLOW_LETTERS)]}"


# --- places (deterministic per seed and path, cached, never stored in the world) ------------


@cache
def _place(seed: int, province: int, district: int, ward: int = -1) -> tuple[str, str]:
    """(unit word, name) of a district (``ward == -1``) or ward of a province."""
    rng = random.Random(f"{seed}:{province}:{district}:{ward}")
    first, second = rng.sample(PLACE_SYLLABLES, 2)
    city = PROVINCES[province][1]
    if ward < 0:
        word = "quận" if city else rng.choice(("huyện", "huyện", "huyện", "thị xã", "thành phố"))
    else:
        word = "phường" if city else rng.choice(("xã", "xã", "phường", "thị trấn"))
    return word, f"{first} {second}"


def _province_label(p: int) -> tuple[str, str]:
    """("tỉnh", "Đồng Nai") or ("thành phố", "Hà Nội")."""
    name, city = PROVINCES[p]
    return ("thành phố", name) if city else ("tỉnh", name)


# --- bodies -------------------------------------------------------------------------------


def _central_body(spec: RootSpec) -> Body:
    last = spec.symbol.rsplit("/", 1)[-1]
    code = last if spec.party else last.rsplit("-", 1)[-1]
    return Body(spec.issuer, spec.issuer, CENTRAL_HEADERS[spec.issuer], "Hà Nội", spec.party,
                CENTRAL_SIGNERS[spec.issuer], code)


def _ministry(code: str, date: dt.date) -> Ministry:
    by_code = {m.code: m for m in MINISTRIES}
    m = by_code[code]
    if m.successor and date >= dt.date(2025, 3, 1):
        return by_code[m.successor]
    return m


def _lead_body(spec: RootSpec, date: dt.date) -> Body:
    code = spec.lead[0]
    if code in COMMISSIONS:
        name = COMMISSIONS[code]
        head = name.upper().replace(" TRUNG ƯƠNG", "")
        return Body(name, name, ("BAN CHẤP HÀNH TRUNG ƯƠNG", head, "*"), "Hà Nội", True,
                    ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"), code)
    m = _ministry(code, date)
    capacity = ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG") if m.code != "VPCP" else (
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM")
    return Body(m.name, m.name, (m.name.upper(),), "Hà Nội", False, capacity, m.code)


def _province_body(p: int, party: bool, rng: random.Random) -> Body:
    word, name = _province_label(p)
    full = f"{word} {name}"
    place = f"Thành phố {name}" if name == "Hồ Chí Minh" else name
    if party:
        committee = "Thành ủy" if word == "thành phố" else "Tỉnh ủy"
        return Body(f"Ban Thường vụ {committee} {name}", f"{committee} {name}",
                    (f"ĐẢNG BỘ {full.upper()}", committee.upper(), "*"), place, True,
                    ("T/M BAN THƯỜNG VỤ", rng.choice(("PHÓ BÍ THƯ", "BÍ THƯ"))), "TU")
    capacity = rng.choice((("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                           ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")))
    return Body(f"Ủy ban nhân dân {full}", f"UBND {full}", ("ỦY BAN NHÂN DÂN", full.upper()),
                place, False, capacity, "UBND")


def _district_body(seed: int, p: int, d: int, party: bool) -> Body:
    word, name = _place(seed, p, d)
    full = f"{word} {name}"
    if party:
        committee = {"quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}.get(
            word, "Huyện ủy")
        code = {"quận": "QU", "thị xã": "TXU", "thành phố": "TU"}.get(word, "HU")
        upper = _province_label(p)
        return Body(f"Ban Thường vụ {committee} {name}", f"{committee} {name}",
                    (f"ĐẢNG BỘ {upper[0].upper()} {upper[1].upper()}",
                     f"{committee.upper()} {name.upper()}", "*"),
                    name, True, ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), code)
    return Body(f"Ủy ban nhân dân {full}", f"UBND {full}", ("ỦY BAN NHÂN DÂN", full.upper()),
                name, False, ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "UBND")


def _ward_body(seed: int, p: int, d: int, w: int, party: bool) -> Body:
    word, name = _place(seed, p, d, w)
    _, district = _place(seed, p, d)
    full = f"{word} {name}"
    if party:
        return Body(f"Đảng ủy {full}", f"Đảng ủy {full}",
                    (f"ĐẢNG BỘ {district.upper()}", f"ĐẢNG ỦY {full.upper()}", "*"),
                    district, True, ("T/M ĐẢNG ỦY", "BÍ THƯ"), "ĐU")
    return Body(f"Ủy ban nhân dân {full}", f"UBND {full}", ("ỦY BAN NHÂN DÂN", full.upper()),
                district, False, ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "UBND")


# --- roots ----------------------------------------------------------------------------------


def _root_ref(spec: RootSpec) -> Ref:
    group = min(spec.symbol, spec.sibling) if spec.sibling else None
    return Ref(spec.symbol, spec.date, spec.slug, spec.word, spec.issuer, spec.title,
               spec.party, spec.name, group)


def _zipf_pick(world: _World, candidates: list[tuple[RootSpec, Ref]]) -> tuple[RootSpec, Ref]:
    ranks = [1 + ROOTS.index(spec) for spec, _ in candidates]
    weights = [1.0 / r**ZIPF_S for r in ranks]
    return world.rng.choices(candidates, weights=weights)[0]


def _with_siblings(world: _World, ref: Ref) -> tuple[Ref, ...]:
    if ref.group is None:
        return (ref,)
    return tuple(r for _, r in world.roots if r.group == ref.group)


def _background(world: _World, before: dt.date, exclude: Ref | None, p: float) -> tuple[Ref, ...]:
    """Zero or one central document (with its list siblings) older than ``before``."""
    if world.rng.random() >= p:
        return ()
    skip = {exclude.symbol, exclude.group or exclude.symbol} if exclude else set()
    older = [(s, r) for s, r in world.roots
             if r.date < before and r.symbol not in skip and (r.group or "") not in skip]
    if not older:
        return ()
    return _with_siblings(world, _zipf_pick(world, older)[1])


def _root_plans(world: _World) -> Iterator[Plan]:
    for spec in sorted(ROOTS, key=lambda s: (s.date, s.symbol)):
        ref = _root_ref(spec)
        background = _background(world, spec.date, ref, 0.8)
        world.roots.append((spec, ref))
        yield Plan(ref, Kind.ROOT, _central_body(spec), None, ref, background, (), (),
                   spec.subject, world.name())


# --- campaigns ------------------------------------------------------------------------------


def _campaign_start(world: _World, root: Ref) -> dt.date:
    first = root.date + dt.timedelta(days=30)
    span = (LAST_START - first).days
    return first + dt.timedelta(days=world.rng.randint(0, max(span, 0)))


def _lead(world: _World, spec: RootSpec, root: Ref, date: dt.date) -> Plan:
    body = _lead_body(spec, date)
    short = f"{root.word} số {root.symbol}"
    if body.party:
        ref = Ref(f"{world.number('-HD/' + body.code, date.year, 'central')}-HD/{body.code}",
                  date, "huong-dan", "Hướng dẫn", body.name, f"thực hiện {short}", True,
                  title_cites=(root.symbol,))
    else:
        unit = spec.lead[1] if body.code == spec.lead[0] else "VP"
        suffix = f"/{body.code}-{unit}"
        ref = Ref(world.number(suffix, date.year, "ministry") + suffix, date, "cong-van",
                  "Công văn", body.name, f"triển khai thực hiện {short}", False,
                  title_cites=(root.symbol,))
    local: tuple[Ref, ...] = ()
    if not body.party and world.rng.random() < 0.4:
        local = (_vpcp_letter(world, date),)
    return Plan(ref, Kind.LEAD_LETTER, body, root, root, _background(world, date, root, 0.5),
                local, (), spec.subject, world.name())


def _vpcp_letter(world: _World, before: dt.date) -> Ref:
    date = before - world.days(5, 40)
    suffix = "/VPCP-QHĐP"
    return Ref(world.number(suffix, date.year, "ministry") + suffix, date, "cong-van",
               "Công văn", "Văn phòng Chính phủ", "truyền đạt ý kiến chỉ đạo của Thủ tướng",
               False)


def _province(world: _World, p: int, lead: Plan, subject: str) -> Plan:
    rng = world.rng
    party = lead.body.party
    body = _province_body(p, party, rng)
    date = lead.ref.date + world.days(4, 30)
    root = lead.root
    if party:
        suffix = "-KH/TU"
        number = world.number(suffix, date.year, "province")
        ref = Ref(number + suffix, date, "ke-hoach", "Kế hoạch", body.name,
                  f"thực hiện {root.word} số {root.symbol}", True, title_cites=(root.symbol,))
    else:
        suffix = f"/UBND-{rng.choice(('KGVX', 'VX', 'NC', 'TH', 'KT'))}"
        number = world.number(suffix, date.year, "province", letter=rng.random() < 0.03)
        ref = Ref(number + suffix, date, "cong-van", rng.choice(("Công văn", "Văn bản")),
                  body.name, f"triển khai {lead.ref.word} số {lead.ref.symbol}", False,
                  title_cites=(lead.ref.symbol,))
    key = (p, root.symbol + ("#party" if party else ""))
    prev = world.previous.get(key)
    world.previous[key] = ref
    previous = prev if prev is not None and prev.date < date else None
    replaces = None
    if party and previous is not None and _replaces_previous(ref.symbol):
        previous, replaces = None, previous
    return Plan(ref, Kind.PROVINCE, body, lead.ref, root, _background(world, date, root, 0.3),
                (), (), subject, world.name(), previous, replaces)


def _replaces_previous(symbol: str) -> bool:
    """Whether a provincial Party plan replaces its body's earlier plan on the same root
    rather than continuing it: about half do. Decided by the plan's own symbol, not by a
    draw, so the random stream, and every other document, stays as it was."""
    return zlib.crc32(symbol.encode("utf-8")) % 2 == 0


def _district(world: _World, p: int, d: int, parent: Plan) -> Plan:
    party = parent.body.party
    body = _district_body(world.seed, p, d, party)
    date = parent.ref.date + world.days(4, 30)
    if party:
        suffix = f"-KH/{body.code}"
        ref = Ref(world.number(suffix, date.year, "district") + suffix, date, "ke-hoach",
                  "Kế hoạch", body.name, f"thực hiện {parent.ref.word} số {parent.ref.symbol}",
                  True, title_cites=(parent.ref.symbol,))
    else:
        suffix = "/KH-UBND"
        number = world.number(suffix, date.year, "district", letter=world.rng.random() < 0.03)
        ref = Ref(number + suffix, date, "ke-hoach", "Kế hoạch", body.name,
                  f"triển khai thực hiện {parent.subject} năm {date.year}", False)
    local: tuple[Ref, ...] = ()
    if not party and world.rng.random() < 0.3:
        local = (_province_party_doc(world, p, date),)
    return Plan(ref, Kind.DISTRICT_PLAN, body, parent.ref, parent.root,
                _background(world, date, parent.root, 0.25), local, (), parent.subject,
                world.name())


def _province_party_doc(world: _World, p: int, before: dt.date) -> Ref:
    date = before - world.days(30, 400)
    suffix = "-CT/TU"
    word, name = _province_label(p)
    committee = "Thành ủy" if word == "thành phố" else "Tỉnh ủy"
    return Ref(world.number(suffix, date.year, "province") + suffix, date, "chi-thi",
               "Chỉ thị", f"Ban Thường vụ {committee} {name}",
               "tăng cường công tác dân vận trong cơ quan nhà nước", True)


def _ward_party_docs(world: _World, body: Body, before: dt.date) -> tuple[Ref, ...]:
    out = []
    for _ in range(world.rng.randint(1, 2)):
        code, slug, word, title = world.rng.choice(_WARD_PARTY_DOCS)
        date = before - world.days(20, 300)
        suffix = f"-{code}/ĐU"
        out.append(Ref(world.number(suffix, date.year, "ward") + suffix, date, slug, word,
                       f"Đảng ủy {body.short.removeprefix('UBND ')}", title, True))
    return tuple(out)


def _ward_report(world: _World, p: int, d: int, w: int, parent: Plan) -> Plan:
    party = parent.body.party
    body = _ward_body(world.seed, p, d, w, party)
    date = parent.ref.date + world.days(10, 30)
    suffix = "-BC/ĐU" if party else "/BC-UBND"
    number = world.number(suffix, date.year, "ward")
    symbol = number + suffix
    ref = Ref(symbol, date, "bao-cao", "Báo cáo", body.name,
              f"kết quả thực hiện {parent.subject} năm {date.year}", party)
    local = () if party else _ward_party_docs(world, body, date)
    return Plan(ref, Kind.WARD_REPORT, body, parent.ref, parent.root,
                _background(world, date, parent.root, 0.2), local, (), parent.subject,
                world.name())


def _followup(world: _World, report: Plan, district: Plan) -> Plan:
    date = report.ref.date + world.days(5, 30)
    party = report.body.party
    suffix = "-CV/ĐU" if party else world.rng.choice(("/UBND-VP", "/UBND"))
    ref = Ref(world.number(suffix, date.year, "ward") + suffix, date, "cong-van", "Công văn",
              report.body.name, f"khắc phục hạn chế theo Báo cáo số {report.ref.symbol}", party,
              title_cites=(report.ref.symbol,))
    return Plan(ref, Kind.WARD_FOLLOWUP, report.body, report.ref, report.root, (),
                (district.ref,), (), report.subject, world.name())


def _summary(world: _World, lead: Plan, received: list[tuple[int, Ref]]) -> Plan:
    last = max([lead.ref.date, *(r.date for _, r in received)])
    date = last + world.days(10, 60)
    body = lead.body
    if body.party:
        suffix = f"-BC/{body.code}"
        number = world.number(suffix, date.year, "central")
    else:
        suffix = f"/BC-{body.code}"
        number = world.number(suffix, date.year, "ministry")
    ref = Ref(number + suffix, date, "bao-cao", "Báo cáo", body.name,
              f"kết quả thực hiện {lead.subject} năm {lead.ref.date.year}", body.party)
    got = dict(received)
    others = world.rng.sample(range(len(PROVINCES)), min(4, len(PROVINCES)))
    rows = sorted(set(got) | set(others))
    table = tuple((_table_agency(p), got.get(p)) for p in rows)
    return Plan(ref, Kind.SUMMARY, body, lead.ref, lead.root, (), (), table, lead.subject,
                world.name())


def _table_agency(p: int) -> str:
    word, name = _province_label(p)
    return f"{word.capitalize()} {name}"


def _province_branch(world: _World, p: int, lead: Plan) -> Iterator[Plan]:
    rng = world.rng
    province = _province(world, p, lead, lead.subject)
    yield province
    for d in rng.sample(range(10), rng.randint(1, 3)):
        district = _district(world, p, d, province)
        yield district
        for w in rng.sample(range(14), rng.randint(1, 3)):
            report = _ward_report(world, p, d, w, district)
            yield report
            if rng.random() < 0.5:
                yield _followup(world, report, district)


def _campaign(world: _World) -> Iterator[Plan]:
    chain_roots = [(s, r) for s, r in world.roots if s.chain]
    spec, root = _zipf_pick(world, chain_roots)
    lead = _lead(world, spec, root, _campaign_start(world, root))
    yield lead
    received: list[tuple[int, Ref]] = []
    for p in world.rng.sample(range(len(PROVINCES)), world.rng.randint(2, 10)):
        branch = _province_branch(world, p, lead)
        province = next(branch)
        received.append((p, province.ref))
        yield province
        yield from branch
    if world.rng.random() < 0.6:
        yield _summary(world, lead, received)


def plans(seed: int = 0) -> Iterator[Plan]:
    """Endless, deterministic stream of document plans: roots first, then campaigns.

    Args:
        seed: the seed of ``random.Random``; the same seed gives the same stream.

    Yields:
        One ``Plan`` per document; every document a plan cites is older than it.
    """
    world = _World(seed)
    yield from _root_plans(world)
    while True:
        yield from _campaign(world)
