"""Render a ``Plan`` as the text of a Vietnamese official document, with its ground truth.

One renderer per ``Kind``; shared parts (header, "Kính gửi", obligations, "Nơi nhận" and
signature, noise such as phone numbers and statistics) are small helpers. All wording is
written for this generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from benchmarks.synth_model import Deadline, DocTruth, Kind, Plan, Ref
from benchmarks.synth_vocab import ASSESSMENTS, RESULTS, SOLUTIONS, TASKS
from benchmarks.synth_writer import LAYOUTS, Writer, ascii_slug

__all__ = ["render"]

_Part = tuple[Writer, DocTruth]

# Laws that decrees cite by name only ("Căn cứ Luật Tổ chức Chính phủ ngày …").
_NAMED_LAWS: tuple[tuple[str, dt.date], ...] = (
    ("Luật Tổ chức Chính phủ", dt.date(2015, 6, 19)),
    ("Luật Tổ chức chính quyền địa phương", dt.date(2015, 6, 19)),
    ("Luật Ban hành văn bản quy phạm pháp luật", dt.date(2015, 6, 22)),
)
# Recurring yearly deadlines (day, month).
_YEARLY: tuple[tuple[int, int], ...] = ((15, 12), (30, 11), (20, 11), (10, 12), (5, 12))


# --- shared parts ---------------------------------------------------------------------------


def _column(text: str, width: int = 34) -> list[str]:
    """Wrap a header-column text (the "V/v" subject) into short lines."""
    out: list[str] = []
    for word in text.split(" "):
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    return out


def _header(w: Writer, plan: Plan, subject: str | None = None) -> None:
    """Issuing body, number, national motto (or Party name), place and date, "V/v"."""
    b, ref, rng = plan.body, plan.ref, w.rng
    motto = (("ĐẢNG CỘNG SẢN VIỆT NAM",) if b.party else
             ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"))
    label = "Luật số:" if ref.slug == "luat" else (
        "Số" if b.party and rng.random() < 0.7 else "Số:")
    number = f"{label} {ref.symbol}"
    date = w.header_date(b.place, ref.date)
    if w.layout == "md":
        date = f"*{date}*"
    vv = _column("V/v " + subject) if subject else []
    issuer = [w.bold(x) for x in b.header]
    if rng.random() < 0.5:
        rule = ["-------"] if rng.random() < 0.4 else []
        for x in [*issuer, *rule, number, *vv, *motto, *rule, date]:
            w.line(x)
    else:
        pad = [""] * max(0, len(motto) - len(issuer))
        for left, right in zip([*issuer, *pad], [*motto, *[""] * len(issuer)], strict=False):
            w.line(f"{left}\t{right}".strip("\t") if left or right else "")
        w.line(f"{number}\t{date}")
        for x in vv:
            w.line(x)
    w.line()


def _vv(w: Writer, ref: Ref, tail: str = "") -> str:
    """Subject-line text naming ``ref`` (an undated mention)."""
    w.record(ref, False)
    return f"{ref.word} số {ref.symbol}{tail}"


def _title(w: Writer, word: str, title: str) -> None:
    w.line(f"## {w.bold(word)}" if w.layout == "md" else word)
    w.para(title[:1].upper() + title[1:])
    w.line()


def _kinh_gui(w: Writer, recipients: Sequence[str]) -> None:
    if len(recipients) == 1:
        w.line(f"Kính gửi: {recipients[0]}.")
        return
    w.line("Kính gửi:")
    for i, r in enumerate(recipients):
        w.line(f"- {r}{'.' if i == len(recipients) - 1 else ';'}")
    w.line()


def _distribution(w: Writer, items: Sequence[str]) -> None:
    w.line(w.bold("Nơi nhận:"))
    for i, item in enumerate(items):
        w.line(f"- {item}{'.' if i == len(items) - 1 else ';'}")


def _signature(w: Writer, plan: Plan) -> None:
    for line in plan.body.capacity:
        w.line(w.bold(line))
    for _ in range(w.rng.randint(1, 4)):
        w.line()
    w.line(w.bold(plan.signer))


def _closing(w: Writer, plan: Plan, items: Sequence[str]) -> None:
    w.line()
    if w.rng.random() < 0.5:
        _distribution(w, items)
        w.line()
        _signature(w, plan)
    else:
        _signature(w, plan)
        w.line()
        _distribution(w, items)


def _phone(rng: random.Random) -> str:
    forms = (
        f"024.{rng.randint(3700, 3999)}.{rng.randint(1000, 9999)}",
        f"(024) {rng.randint(37000000, 39999999)}",
        f"0{rng.choice((91, 98, 90, 93, 88))}{rng.randint(1, 9)} {rng.randint(100, 999)} "
        f"{rng.randint(100, 999)}",
        f"02{rng.randint(10, 99)}.{rng.randint(3000000, 3999999)}",
    )
    return rng.choice(forms)


def _contact(w: Writer, plan: Plan) -> str:
    """Contact line: a name, a phone number and an e-mail address (never citations)."""
    rng = w.rng
    name = f"{rng.choice(('Nguyễn', 'Lê', 'Trần'))} {rng.choice(('Thị', 'Văn'))} " \
           f"{rng.choice(('Mai', 'Hòa', 'Tùng', 'Nga'))}"
    mail = f"{ascii_slug(name)}@{ascii_slug(plan.body.code)}.gov.vn"
    return (f"Thông tin chi tiết xin liên hệ đồng chí {name}, điện thoại: {_phone(rng)}, "
            f"thư điện tử: {mail}.")


def _fill(w: Writer, text: str, plan: Plan, ref: str = "") -> str:
    rng = w.rng
    a = rng.randint(3, 60)
    return text.format(subject=plan.subject, ref=ref, a=a, b=rng.randint(60, 900),
                       c=rng.randint(1, a), p=f"{rng.randint(80, 99)},{rng.randint(1, 9)}")


def _sentences(w: Writer, bank: Sequence[str], plan: Plan, n: int, ref: str = "") -> str:
    return " ".join(_fill(w, s, plan, ref) for s in w.rng.sample(list(bank), n))


def _obligation(w: Writer, plan: Plan, bearer: str, recipient: str) -> str:
    """One reporting duty with a deadline; the deadline goes into the truth."""
    rng = w.rng
    form = rng.choice(("absolute", "latest", "yearly", "yearly-words", "half", "half-short"))
    inner = bearer[:1].lower() + bearer[1:] if bearer.startswith("Các ") else bearer
    if form in ("absolute", "latest"):
        due = plan.ref.date + dt.timedelta(days=rng.randint(15, 75))
        w.deadlines.append(_deadline(due.isoformat(), None))
        when = "trước ngày" if form == "absolute" else "chậm nhất ngày"
        return (f"{bearer} gửi báo cáo kết quả thực hiện về {recipient} {when} "
                f"{w.date(due)} để tổng hợp.")
    if form in ("yearly", "yearly-words"):
        d, m = rng.choice(_YEARLY)
        w.deadlines.append(_deadline(f"--{m:02d}-{d:02d}", "yearly"))
        if form == "yearly":
            return (f"Định kỳ hằng năm, {inner} báo cáo kết quả thực hiện về {recipient} "
                    f"trước ngày {d}/{m} để tổng hợp.")
        return (f"{bearer} tổng hợp, báo cáo kết quả về {recipient} trước ngày {d} tháng {m} "
                "hằng năm.")
    w.deadlines.append(_deadline("--06-15", "half-yearly"))
    w.deadlines.append(_deadline("--12-15", "yearly"))
    if form == "half":
        return (f"Định kỳ 6 tháng và hằng năm, {inner} gửi báo cáo về {recipient}: báo cáo "
                "6 tháng đầu năm trước ngày 15/6, báo cáo năm trước ngày 15/12.")
    return (f"Định kỳ 06 tháng và hằng năm, {inner} báo cáo kết quả về {recipient} "
            "trước ngày 15/6 và 15/12.")


def _deadline(value: str, frequency: str | None) -> Deadline:
    return Deadline(value, frequency)


def _tasks(w: Writer, plan: Plan, n: int, depth: int = 1, ref: str = "") -> None:
    for sentence in w.rng.sample(list(TASKS), n):
        w.heading(depth, "arabic", _fill(w, sentence, plan, ref))


# --- roots ----------------------------------------------------------------------------------


def _root(plan: Plan, w: Writer) -> list[_Part]:
    ref = plan.ref
    _header(w, plan)
    if ref.slug == "luat" and ref.name:
        _title(w, "LUẬT", ref.name.removeprefix("Luật ").upper())
    else:
        _title(w, ref.word.upper(), f"về {ref.title}")
    if ref.slug in ("nghi-dinh", "luat") or (ref.slug == "quyet-dinh" and not ref.party) or (
            "UBTVQH" in ref.symbol):
        _articles(w, plan)
    else:
        _directive(w, plan)
    items = ["Ban Bí thư Trung ương Đảng", "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
             "HĐND, UBND các tỉnh, thành phố trực thuộc Trung ương", "Lưu: VT"]
    _closing(w, plan, items)
    return [(w, w.truth(ref, kind=Kind.ROOT.value, level=0, implements=None))]


def _articles(w: Writer, plan: Plan) -> None:
    ref, rng = plan.ref, w.rng
    w.para("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;")
    if ref.slug != "luat":
        for name, date in rng.sample(list(_NAMED_LAWS), rng.randint(1, 2)):
            w.record_name(name, date)
            w.para(f"Căn cứ {name} ngày {w.date(date)};")
    for bg in plan.background:
        w.para(f"Căn cứ {w.mention(bg, title=True)};")
    if ref.slug not in ("luat",) and "UBTVQH" not in ref.symbol:
        w.para("Theo đề nghị của Bộ trưởng Bộ Nội vụ;")
    w.para(f"{ref.issuer} ban hành {ref.word} về {ref.title}.")
    w.line("Chương I")
    w.line("QUY ĐỊNH CHUNG")
    w.line("Điều 1. Phạm vi điều chỉnh")
    w.para(f"{ref.word} này quy định về {ref.title}.")
    w.line("Điều 2. Đối tượng áp dụng")
    w.para("Các cơ quan nhà nước, tổ chức và cá nhân có liên quan.")
    w.line("Chương II")
    w.line("TỔ CHỨC THỰC HIỆN")
    w.line("Điều 3. Chế độ báo cáo")
    w.para(_obligation(w, plan, "Các bộ, ngành và địa phương", "Bộ Nội vụ"))
    w.line("Điều 4. Hiệu lực thi hành")
    effective = ref.date + dt.timedelta(days=45)
    w.para(f"{ref.word} này có hiệu lực thi hành kể từ ngày {w.date(effective)}.")


def _directive(w: Writer, plan: Plan) -> None:
    ref = plan.ref
    if plan.background:
        w.para(f"Sau một thời gian thực hiện {w.mention_all(plan.background)}, "
               f"{plan.subject} đã đạt được những kết quả quan trọng.")
    w.para(_sentences(w, ASSESSMENTS, plan, 3))
    audience = ("các cấp ủy, tổ chức đảng" if ref.party else
                "các bộ, ngành và địa phương")
    w.para(f"Để nâng cao hiệu quả {plan.subject}, {ref.issuer} yêu cầu {audience} "
           "thực hiện tốt các nhiệm vụ sau:")
    _tasks(w, plan, 3, ref="chủ trương này")
    w.heading(1, "arabic", "Tổ chức thực hiện: " + _obligation(
        w, plan, "các cơ quan, đơn vị", "cơ quan thường trực"))


# --- level 1 --------------------------------------------------------------------------------


def _lead(plan: Plan, w: Writer) -> list[_Part]:
    if plan.body.party:
        return _lead_party(plan, w)
    root, body = plan.root, plan.body
    _header(w, plan, "triển khai thực hiện " + _vv(w, root, f" của {root.issuer}"))
    _kinh_gui(w, ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
                  "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"])
    pieces = []
    if plan.local:
        pieces.append("Triển khai ý kiến chỉ đạo của Thủ tướng Chính phủ tại "
                      + w.mention(plan.local[0]))
    pieces.append(f"thực hiện {w.mention(root, title=True)} (sau đây gọi tắt là "
                  f"{w.short(root)})")
    if plan.background:
        pieces.append(w.mention_all(plan.background))
    opening = "; ".join(pieces)
    w.para(opening[:1].upper() + opening[1:] + f", {body.name} đề nghị các bộ, ngành, "
           "địa phương tập trung chỉ đạo thực hiện một số nội dung sau:")
    _tasks(w, plan, 2, ref=w.short(root))
    w.heading(1, "arabic", _obligation(w, plan, "Các bộ, ngành và địa phương", body.name))
    w.para(f"{body.name} đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.")
    if w.rng.random() < 0.5:
        w.para(_contact(w, plan))
    unit = plan.ref.symbol.rsplit("-", 1)[-1]
    _closing(w, plan, ["Như trên", "Văn phòng Chính phủ (để b/c)", "Bộ trưởng (để b/c)",
                       f"Lưu: VT, {unit}"])
    parts = [(w, w.truth(plan.ref, kind=plan.kind.value, level=1, implements=root.symbol))]
    if w.rng.random() < 0.55:
        parts.append(_outline_doc(plan, Writer(w.rng, w.layout)))
    return parts


def _lead_party(plan: Plan, w: Writer) -> list[_Part]:
    root = plan.root
    _header(w, plan)
    _title(w, "HƯỚNG DẪN", f"thực hiện {_vv(w, root, f' của {root.issuer}')}")
    w.para(f"Thực hiện {w.mention(root, title=True)}, {plan.body.name} hướng dẫn các tỉnh ủy, "
           "thành ủy, đảng ủy trực thuộc Trung ương triển khai thực hiện như sau:")
    w.heading(1, "roman", "Mục đích, yêu cầu", upper=True)
    w.para(_sentences(w, ASSESSMENTS, plan, 1))
    w.heading(1, "roman", "Nội dung", upper=True)
    _tasks(w, plan, 3, depth=2, ref=w.short(root))
    w.heading(1, "roman", "Tổ chức thực hiện", upper=True)
    w.para(_obligation(w, plan, "Các tỉnh ủy, thành ủy", plan.body.name))
    _closing(w, plan, ["Các tỉnh ủy, thành ủy", "Các đảng ủy trực thuộc Trung ương",
                       "Lưu Văn phòng"])
    parts = [(w, w.truth(plan.ref, kind=plan.kind.value, level=1, implements=root.symbol))]
    if w.rng.random() < 0.3:
        parts.append(_outline_doc(plan, Writer(w.rng, w.layout)))
    return parts


def _outline_doc(plan: Plan, o: Writer) -> _Part:
    """An attached "ĐỀ CƯƠNG BÁO CÁO" (its own document in the same file)."""
    ref, rng = plan.ref, o.rng
    o.line(o.bold(plan.body.header[0]))
    o.line(o.bold("ĐỀ CƯƠNG BÁO CÁO"))
    o.line(f"Kết quả thực hiện {plan.subject} năm …..")
    if rng.random() < 0.3:  # blank number: the letter the outline travels with
        cut = ref.symbol.index("-" if ref.party else "/")
        o.line(f"(Kèm theo {ref.word} số        {ref.symbol[cut:]} ngày      /"
               f"{ref.date.month}/{ref.date.year} của {plan.body.name})")
    else:
        o.line(f"(Kèm theo {o.mention(ref, issuer=False)} của {plan.body.name})")
    o.line()
    o.line("TÊN CƠ QUAN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    o.line("\tĐộc lập - Tự do - Hạnh phúc")
    o.line("......, ngày …… tháng …… năm ……")
    o.line(o.bold("BÁO CÁO"))
    o.line(f"Kết quả thực hiện {plan.subject} năm ……")
    o.heading(1, "roman", "Đặc điểm tình hình", upper=True)
    o.para("Khái quát đặc điểm, tình hình của cơ quan, đơn vị, địa phương (có số liệu).")
    o.heading(1, "roman", "Công tác lãnh đạo, chỉ đạo", upper=True)
    o.heading(2, "arabic", f"Việc quán triệt, triển khai {o.short(plan.root)}")
    o.heading(2, "arabic", "Việc ban hành văn bản chỉ đạo, kế hoạch thực hiện")
    o.heading(1, "roman", "Kết quả thực hiện", upper=True)
    o.heading(2, "arabic", "Kết quả tiếp nhận, giải quyết kiến nghị của người dân")
    o.heading(3, "letter", "Số cuộc đối thoại đã tổ chức")
    o.heading(3, "letter", "Số đơn, thư đã giải quyết")
    o.heading(2, "arabic", "Kết quả phong trào thi đua “Dân vận khéo”")
    o.heading(1, "roman", "Đánh giá chung", upper=True)
    o.heading(2, "arabic", "Ưu điểm")
    o.heading(2, "arabic", "Hạn chế, nguyên nhân")
    o.heading(1, "roman", "Kiến nghị, đề xuất", upper=True)
    return o, o.truth(None, kind="outline", level=plan.level, implements=None,
                      attached_to=ref.symbol, doc_type="de-cuong")


# --- level 2 --------------------------------------------------------------------------------


def _province(plan: Plan, w: Writer) -> list[_Part]:
    if plan.body.party:
        return _province_party(plan, w)
    lead, root, body, rng = plan.parent, plan.root, plan.body, w.rng
    assert lead is not None
    _header(w, plan, "triển khai " + _vv(w, lead, f" của {lead.issuer}"))
    _kinh_gui(w, rng.choice((["Sở Nội vụ"], ["Các sở, ban, ngành tỉnh",
                                            "Ủy ban nhân dân các huyện, thị xã, thành phố"])))
    if plan.previous is not None:
        w.para(f"Tiếp theo {w.mention(plan.previous, issuer=False)}, {body.short} tiếp tục "
               f"chỉ đạo thực hiện {plan.subject}.")
    if rng.random() < 0.5:
        w.para(f"{body.short} nhận được {w.mention(lead, title=True)}. Trong đó, {lead.issuer} "
               f"đề nghị các địa phương triển khai {w.mention(root)}. Chủ tịch {body.short} "
               "có ý kiến như sau:")
    else:
        w.para(f"Thực hiện {w.mention(lead)} về việc triển khai {w.mention(root)}, "
               f"Chủ tịch {body.short} chỉ đạo:")
    w.heading(1, "arabic", "Giao Sở Nội vụ chủ trì, phối hợp với các sở, ngành liên quan tham "
              f"mưu triển khai nội dung đề nghị của {lead.issuer}.")
    if plan.background:
        w.heading(1, "arabic", f"Các cơ quan, đơn vị gắn việc thực hiện với "
                  f"{w.mention_all(plan.background)}.")
    w.heading(1, "arabic", _obligation(w, plan, "Ủy ban nhân dân các huyện, thị xã, thành phố",
                                       f"{body.short} (qua Sở Nội vụ)"))
    unit = plan.ref.symbol.rsplit("-", 1)[-1]
    _closing(w, plan, ["Như trên", f"Chủ tịch, các Phó Chủ tịch {body.short}",
                       "Chánh, Phó Chánh Văn phòng", f"Lưu: VT, {unit}"])
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=2, implements=lead.symbol))]


def _province_party(plan: Plan, w: Writer) -> list[_Part]:
    lead, root, body = plan.parent, plan.root, plan.body
    assert lead is not None
    _header(w, plan)
    _title(w, "KẾ HOẠCH", f"thực hiện {_vv(w, root, f' của {root.issuer}')}")
    opening = f"Thực hiện {w.mention(lead, title=True)}; {w.mention(root)}"
    if plan.previous is not None:
        opening += f"; tiếp theo {w.mention(plan.previous, issuer=False)}"
    w.para(f"{opening}, {body.name} ban hành Kế hoạch thực hiện như sau:")
    w.heading(1, "roman", "Mục đích, yêu cầu", upper=True)
    w.heading(2, "arabic", _sentences(w, TASKS, plan, 1, w.short(root)))
    w.heading(2, "arabic", _sentences(w, ASSESSMENTS, plan, 1))
    w.heading(1, "roman", "Nhiệm vụ, giải pháp", upper=True)
    _tasks(w, plan, 3, depth=2)
    w.heading(1, "roman", "Tổ chức thực hiện", upper=True)
    w.heading(2, "arabic", "Ban Dân vận chủ trì, theo dõi, đôn đốc việc thực hiện Kế hoạch.")
    w.heading(2, "arabic", _obligation(w, plan, "Các huyện ủy, thành ủy, đảng ủy trực thuộc",
                                       f"Ban Thường vụ (qua Ban Dân vận {body.short})"))
    if plan.replaces is not None:
        w.para(f"Kế hoạch này thay thế {w.mention(plan.replaces, issuer=False)}.")
    _closing(w, plan, [f"{lead.issuer} (để báo cáo)", "Các huyện ủy, thành ủy",
                       "Lưu Văn phòng"])
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=2, implements=lead.symbol))]


def _summary(plan: Plan, w: Writer) -> list[_Part]:
    lead, root, body = plan.parent, plan.root, plan.body
    assert lead is not None
    _header(w, plan)
    year = lead.date.year
    _title(w, "BÁO CÁO", f"kết quả thực hiện {plan.subject} năm {year}")
    marker, prefix = w.footnote()
    w.para(f"Thực hiện {w.mention(root, title=True)}; năm {year}, {body.name} ban hành "
           f"{w.mention(lead, issuer=False)} đôn đốc các bộ, ngành, địa phương triển khai thực "
           f"hiện. Trên cơ sở báo cáo của các địa phương{marker}, {body.name} tổng hợp, báo cáo "
           "như sau:")
    got = sum(1 for _, r in plan.table if r is not None)
    w.para(f"{prefix}Đã nhận được báo cáo của {w.rng.randint(3, 30):02d}/30 bộ, ngành và "
           f"{got:02d}/63 địa phương.")
    w.heading(1, "roman", "Kết quả đạt được", upper=True)
    w.heading(2, "arabic", _sentences(w, RESULTS, plan, 2))
    w.heading(2, "arabic", _sentences(w, ASSESSMENTS, plan, 1))
    w.heading(1, "roman", "Hạn chế, nguyên nhân", upper=True)
    w.para(_sentences(w, ASSESSMENTS, plan, 2))
    w.heading(1, "roman", f"Nhiệm vụ trọng tâm năm {year + 1}", upper=True)
    w.para(_sentences(w, SOLUTIONS, plan, 2) + " Phấn đấu hoàn thành các mục tiêu giai đoạn "
           "2021–2030.")
    _closing(w, plan, ["Thủ tướng Chính phủ (để b/c)", "Như trên", "Lưu: VT"])
    _appendix(w, plan)
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=2, implements=lead.symbol))]


def _appendix(w: Writer, plan: Plan) -> None:
    """Tab-separated table of what each province sent (blank cells: nothing received)."""
    w.line()
    w.line(w.bold("PHỤ LỤC"))
    w.line(f"TỔNG HỢP VĂN BẢN CÁC ĐỊA PHƯƠNG GỬI {plan.body.name.upper()}")
    w.line("STT\tTên cơ quan\tVăn bản triển khai\t")
    w.line("\t\tSố văn bản\tNgày tháng văn bản")
    w.line("I\tĐịa phương\t\t")
    for i, (agency, ref) in enumerate(plan.table, 1):
        if ref is None:
            w.line(f"{i}\t{agency}\t\t")
            continue
        w.submissions.append((agency, ref.symbol, ref.date))
        w.line(f"{i}\t{agency}\t{ref.symbol}\t{ref.date.day}/{ref.date.month}/{ref.date.year}")


# --- levels 3 to 5 --------------------------------------------------------------------------


def _district(plan: Plan, w: Writer) -> list[_Part]:
    parent, root, body = plan.parent, plan.root, plan.body
    assert parent is not None
    _header(w, plan)
    _title(w, "KẾ HOẠCH", f"triển khai thực hiện {plan.subject} năm {plan.ref.date.year}")
    refs = [w.mention(parent, title=w.rng.random() < 0.5), w.mention(root)]
    refs += [w.mention(r) for r in plan.local]
    if plan.background:
        refs.append(w.mention_all(plan.background))
    w.para(f"Thực hiện {'; '.join(refs)}, {body.short} xây dựng Kế hoạch triển khai "
           "thực hiện như sau:")
    w.heading(1, "roman", "Mục đích, yêu cầu", upper=True)
    w.heading(2, "arabic", "Mục đích")
    w.para("- " + _sentences(w, TASKS, plan, 1, w.short(root)))
    w.heading(2, "arabic", "Yêu cầu")
    w.para("- Bám sát mục tiêu giai đoạn 2021 - 2025 và nhiệm kỳ 2020-2025 của địa phương.")
    w.heading(1, "roman", "Nội dung thực hiện", upper=True)
    w.heading(2, "arabic", _sentences(w, TASKS, plan, 1))
    w.heading(3, "letter", _sentences(w, SOLUTIONS, plan, 1))
    w.heading(3, "letter", _sentences(w, SOLUTIONS, plan, 1))
    w.para(f"- {_sentences(w, ASSESSMENTS, plan, 2)} {_noise(w, plan)}")
    w.heading(2, "arabic", _sentences(w, TASKS, plan, 1))
    w.para(f"- {_sentences(w, TASKS, plan, 2)}")
    w.heading(1, "roman", "Tổ chức thực hiện", upper=True)
    bearer = "Các chi bộ, đảng bộ cơ sở" if body.party else "Ủy ban nhân dân các xã, thị trấn"
    w.heading(2, "arabic", "Văn phòng theo dõi, đôn đốc, tổng hợp kết quả thực hiện.")
    w.heading(2, "arabic", _obligation(w, plan, bearer, body.short))
    _closing(w, plan, [f"{parent.issuer} (để b/c)", "Các cơ quan, đơn vị liên quan",
                       "Lưu: VT"])
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=3, implements=parent.symbol))]


def _thousands(n: int) -> str:
    """Vietnamese digit grouping: 14250 → "14.250"."""
    return f"{n:,}".replace(",", ".")


def _ward_situation(w: Writer, plan: Plan) -> str:
    """Area, population and households: numbers that are neither symbols nor dates."""
    rng = w.rng
    people = rng.randint(4_000, 30_000)
    homes = people // rng.randint(3, 5)
    place = plan.body.short.removeprefix("UBND ")
    return (f"{place[:1].upper()}{place[1:]} có diện tích tự nhiên {rng.randint(0, 40)},"
            f"{rng.randint(10, 99)} km², dân số {_thousands(people)} người với "
            f"{_thousands(homes)} hộ; có {rng.randint(4, 15)} thôn, khu phố. Trong nhiệm kỳ "
            "2020 - 2025, tình hình kinh tế - xã hội ổn định, đời sống Nhân dân được nâng lên.")


def _noise(w: Writer, plan: Plan) -> str:
    """A sentence with a web address, a standard number or a period (never citations)."""
    host = ascii_slug(plan.body.short.removeprefix("UBND "))
    return w.rng.choice((
        f"Thông tin được đăng tải trên trang https://{host}.gov.vn và niêm yết tại trụ sở.",
        "Bộ phận một cửa áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.",
        "Kết quả được lồng ghép với mục tiêu giai đoạn 2021–2030 của địa phương.",
        f"Số liệu tính đến hết Quý {w.rng.choice(('I', 'II', 'III'))}/{plan.ref.date.year}.",
    ))


def _ward_report(plan: Plan, w: Writer) -> list[_Part]:
    parent, root, body = plan.parent, plan.root, plan.body
    assert parent is not None
    _header(w, plan)
    _title(w, "BÁO CÁO", f"kết quả thực hiện {plan.subject} năm {plan.ref.date.year}")
    opening = f"Thực hiện {w.mention(parent, title=True)}; {w.mention(root)}"
    if plan.background:
        opening += "; " + w.mention_all(plan.background)
    w.para(f"{opening}, {body.short} báo cáo kết quả như sau:")
    w.heading(1, "roman", "Đặc điểm tình hình", upper=True)
    w.para(_ward_situation(w, plan))
    w.heading(1, "roman", "Kết quả thực hiện", upper=True)
    w.heading(2, "arabic", "Công tác lãnh đạo, chỉ đạo")
    for ref in plan.local:
        w.para(f"- {ref.issuer} đã ban hành {w.mention(ref, issuer=False)} về {ref.title};")
    w.para(f"- Tổ chức quán triệt {w.short(root)} đến cán bộ, công chức và Nhân dân.")
    w.heading(2, "arabic", "Kết quả cụ thể")
    for sentence in w.rng.sample(list(RESULTS), w.rng.randint(2, 4)):
        w.heading(3, "letter", _fill(w, sentence, plan))
    w.heading(2, "arabic", "Công tác cải cách hành chính, tiếp công dân")
    w.para(_sentences(w, ASSESSMENTS, plan, 2) + " " + _noise(w, plan))
    w.para(_sentences(w, TASKS, plan, 2, w.short(root)))
    w.heading(1, "roman", "Đánh giá chung", upper=True)
    w.heading(2, "arabic", "Ưu điểm: " + _sentences(w, ASSESSMENTS[:1], plan, 1))
    w.heading(2, "arabic", "Hạn chế, nguyên nhân: " + _sentences(w, ASSESSMENTS[1:], plan, 1))
    w.heading(1, "roman", "Phương hướng, nhiệm vụ", upper=True)
    for s in w.rng.sample(list(SOLUTIONS), 2):
        w.para(f"- {s}")
    w.heading(1, "roman", "Đề xuất, kiến nghị", upper=True)
    w.para(f"Đề nghị {parent.issuer} quan tâm hỗ trợ kinh phí tổ chức các hoạt động. Liên hệ: "
           f"{_phone(w.rng)}.")
    _closing(w, plan, [f"{parent.issuer} (để b/c)", "Đảng ủy", "Lưu: VT"])
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=4, implements=parent.symbol))]


def _followup(plan: Plan, w: Writer) -> list[_Part]:
    report, root, body = plan.parent, plan.root, plan.body
    assert report is not None
    _header(w, plan, "khắc phục hạn chế theo " + _vv(w, report))
    _kinh_gui(w, ["Công chức Văn phòng - Thống kê", "Trưởng các thôn, khu phố"])
    district = plan.local[0]
    w.para(f"Căn cứ {w.mention(district)}; trên cơ sở {w.mention(report, issuer=False)} về "
           f"{report.title}, nhằm thực hiện nghiêm {w.mention(root)}, Chủ tịch {body.short} "
           "yêu cầu:")
    _tasks(w, plan, 2)
    w.heading(1, "arabic", _obligation(w, plan, "Các bộ phận liên quan", body.short))
    _closing(w, plan, ["Như trên", "Lưu: VT"])
    return [(w, w.truth(plan.ref, kind=plan.kind.value, level=5, implements=report.symbol))]


# --- entry point ----------------------------------------------------------------------------


def _parts(plan: Plan, w: Writer) -> list[_Part]:
    match plan.kind:
        case Kind.ROOT:
            return _root(plan, w)
        case Kind.LEAD_LETTER:
            return _lead(plan, w)
        case Kind.PROVINCE:
            return _province(plan, w)
        case Kind.SUMMARY:
            return _summary(plan, w)
        case Kind.DISTRICT_PLAN:
            return _district(plan, w)
        case Kind.WARD_REPORT:
            return _ward_report(plan, w)
        case Kind.WARD_FOLLOWUP:
            return _followup(plan, w)


def render(plan: Plan, rng: random.Random) -> tuple[str, tuple[DocTruth, ...]]:
    """Text of the file for ``plan`` and the truth of each document written into it.

    Args:
        plan: what the document is.
        rng: the document's own random generator (layout, wording, damage).

    Returns:
        ``(text, truths)``: the main document first, then attachments (outline).
    """
    w = Writer(rng, rng.choice(LAYOUTS))
    parts = _parts(plan, w)
    gap = "\n\n\n" if w.layout != "pdf" else " \n\n \n\n"
    text = gap.join(p.text().rstrip() for p, _ in parts) + "\n"
    return text, tuple(t for _, t in parts)
