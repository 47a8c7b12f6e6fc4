"""Obligations from sentences written for these tests (typical directive shapes)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Literal

import pytest

from ingest.clean import clean
from ingest.models import Citation, Obligation, Relation, Span
from ingest.obligations import find_obligations
from ontology.terms import Frequency

LETTER_DATE = dt.date(2024, 12, 20)
RECIPIENTS = ("Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thành phố")
JOINED = "Các sở, ban, ngành tỉnh; Ủy ban nhân dân các huyện, thành phố"

Form = Literal["NFC", "NFD"]


def run(
    body: str,
    *,
    recipients: tuple[str, ...] = RECIPIENTS,
    citations: tuple[Citation, ...] = (),
    doc_date: dt.date | None = LETTER_DATE,
    form: Form = "NFC",
) -> list[Obligation]:
    source = unicodedata.normalize(form, body)
    mt = clean(source)
    found = find_obligations(
        mt, 0, len(mt.text), doc_date=doc_date, recipients=recipients, citations=citations
    )
    for o in found:
        assert o.span.text == source[o.span.start : o.span.end]
    return found


def cite(source: str, mention: str, key: str, relation: Relation = Relation.CITES) -> Citation:
    """A citation of ``mention`` as it appears in ``source``."""
    start = source.index(mention)
    span = Span(start, start + len(mention), mention)
    symbol = mention.split("số ")[-1]
    return Citation(key, symbol, "cong-van", None, None, None, relation, span)


# (text, bearer, action, recipient, deadline, frequency)
ROWS = [
    (
        "Đề nghị Sở Y tế gửi báo cáo tình hình dịch bệnh về Ủy ban nhân dân tỉnh "
        "trước ngày 10/01/2025.",
        "Sở Y tế",
        "gửi báo cáo tình hình dịch bệnh",
        "Ủy ban nhân dân tỉnh",
        "2025-01-10",
        Frequency.ONCE,
    ),
    (
        "Các sở, ban, ngành có trách nhiệm báo cáo kết quả về Sở Nội vụ trước ngày 15/11 "
        "hằng năm để tổng hợp.",
        "Các sở, ban, ngành",
        "báo cáo kết quả",
        "Sở Nội vụ",
        "--11-15",
        Frequency.YEARLY,
    ),
    (
        "Giao Sở Tài chính chủ trì, phối hợp với Kho bạc Nhà nước tỉnh bố trí kinh phí.",
        "Sở Tài chính",
        "chủ trì, phối hợp với Kho bạc Nhà nước tỉnh bố trí kinh phí",
        None,
        None,
        None,
    ),
    (
        "UBND tỉnh yêu cầu Công an tỉnh báo cáo tình hình an ninh trước ngày 15/01.",
        "Công an tỉnh",
        "báo cáo tình hình an ninh",
        None,
        "2025-01-15",
        Frequency.ONCE,
    ),
    (
        "Đề nghị các cơ quan, đơn vị gửi văn bản góp ý về Văn phòng UBND tỉnh trước ngày "
        "28/12/2024.",
        JOINED,
        "gửi văn bản góp ý",
        "Văn phòng UBND tỉnh",
        "2024-12-28",
        Frequency.ONCE,
    ),
    (
        "Định kỳ hằng quý, Ủy ban nhân dân các xã gửi báo cáo về Phòng Nội vụ trước ngày 18 "
        "của tháng cuối quý.",
        JOINED,
        "gửi báo cáo (trước ngày 18 của tháng cuối quý)",
        "Phòng Nội vụ",
        None,
        Frequency.QUARTERLY,
    ),
    (
        "Ủy ban nhân dân các xã báo cáo kết quả về Ủy ban nhân dân huyện (qua Phòng Nội vụ) "
        "trước ngày 5 hằng tháng.",
        "Ủy ban nhân dân các xã",
        "báo cáo kết quả (trước ngày 5 hằng tháng)",
        "Ủy ban nhân dân huyện (qua Phòng Nội vụ)",
        None,
        Frequency.MONTHLY,
    ),
    (
        "Chậm nhất ngày 30/6/2025, các địa phương hoàn thành việc sáp nhập thôn, tổ dân phố.",
        JOINED,
        "hoàn thành việc sáp nhập thôn",
        None,
        "2025-06-30",
        Frequency.ONCE,
    ),
    (
        "Các huyện định kỳ báo cáo Ban Thường vụ Huyện ủy về kết quả thực hiện "
        "(qua Văn phòng Huyện ủy).",
        "Các huyện",
        "báo cáo kết quả thực hiện",
        "Ban Thường vụ Huyện ủy (qua Văn phòng Huyện ủy)",
        None,
        Frequency.PERIODIC,
    ),
    (
        "Báo cáo gửi về Bộ Nội vụ (qua Vụ Chính quyền địa phương) trước ngày 15/01/2025.",
        JOINED,
        "gửi báo cáo",
        "Bộ Nội vụ (qua Vụ Chính quyền địa phương)",
        "2025-01-15",
        Frequency.ONCE,
    ),
]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(("text", "bearer", "action", "recipient", "deadline", "freq"), ROWS)
def test_obligation_rows(text, bearer, action, recipient, deadline, freq, form):
    [o] = run(text, form=form)
    expected = (bearer, action, recipient, deadline, freq)
    norm = unicodedata.normalize
    got = (o.bearer, o.action, o.recipient, o.deadline, o.frequency)
    assert tuple(norm("NFC", g) if isinstance(g, str) else g for g in got) == expected


def test_two_deadlines_two_obligations():
    text = (
        "Định kỳ 06 tháng và hằng năm, các sở gửi báo cáo 6 tháng về Sở Nội vụ trước ngày "
        "15/6 và báo cáo năm đề nghị gửi trước ngày 10/12 để tổng hợp, báo cáo Bộ Nội vụ."
    )
    first, second = run(text)
    assert (first.action, first.deadline, first.frequency) == (
        "gửi báo cáo 6 tháng",
        "--06-15",
        Frequency.HALF_YEARLY,
    )
    assert (second.action, second.deadline, second.frequency) == (
        "gửi báo cáo năm",
        "--12-10",
        Frequency.YEARLY,
    )
    # the purpose clause ("để tổng hợp, báo cáo Bộ Nội vụ") is never the recipient
    assert first.recipient == second.recipient == "Sở Nội vụ"
    assert "15/6" in first.span.text and "10/12" not in first.span.text
    assert second.span.text.startswith("báo cáo năm")


@pytest.mark.parametrize(
    "text",
    [
        # descriptive, past or negated
        "Sở Nội vụ đã gửi báo cáo về Bộ Nội vụ trước ngày 15/12/2023.",
        "Nhiều địa phương chưa gửi báo cáo về Bộ Nội vụ đúng hạn.",
        "Năm 2024, các huyện đã định kỳ báo cáo Ủy ban nhân dân tỉnh.",
        # a proposal, not a duty
        "Sở kiến nghị Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì xây dựng đề án.",
        # a generic closing formula
        "Đề nghị các sở, ngành chỉ đạo kịp thời cơ quan, đơn vị liên quan triển khai thực hiện.",
        # courtesy and closing formulas
        "Đề nghị Sở Y tế phối hợp, tạo điều kiện.",
        "Điều 3. Giám đốc Sở Nội vụ và Thủ trưởng các cơ quan liên quan chịu trách nhiệm "
        "thi hành Quyết định này./.",
        # advice ("cần") with nothing that binds it
        "Các cơ quan cần quan tâm hơn nữa đến công tác dân vận.",
        # a report narrating what it directed
        "Ủy ban nhân dân xã chỉ đạo các bộ phận chuyên môn rà soát thủ tục hành chính.",
        # noun uses of the request verbs
        "Nội dung đề nghị của Sở được tiếp thu đầy đủ.",
        "Hồ sơ được giải quyết theo yêu cầu của người dân.",
        "Ban Chỉ đạo họp định kỳ để đánh giá tình hình.",
        # a cut-off date, a cited document's date
        "Số liệu báo cáo tính đến hết ngày 31/12/2024.",
        "Thực hiện Chỉ thị số 05/CT-UBND ngày 12/3/2024 của Ủy ban nhân dân tỉnh.",
        # "có nhiệm vụ" as a noun phrase
        "Các ngành tập trung thực hiện các nhiệm vụ, trong đó có nhiệm vụ cải cách hành chính.",
    ],
)
def test_not_obligations(text: str):
    assert run(text) == []


def test_list_intro_is_not_an_obligation_but_gives_the_bearer():
    text = (
        "Sở Nội vụ đề nghị Sở Tư pháp thực hiện các nội dung sau:\n"
        "1. Rà soát các văn bản quy phạm pháp luật của tỉnh.\n"
        "2. Gửi kết quả rà soát về Sở Nội vụ trước ngày 20/01/2025.\n"
    )
    [o] = run(text)
    assert (o.bearer, o.action, o.deadline) == ("Sở Tư pháp", "gửi kết quả rà soát", "2025-01-20")


def test_intro_naming_the_recipients_gives_the_joined_recipients():
    text = (
        "Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành tỉnh, Ủy ban nhân dân các huyện, "
        "thành phố thực hiện tốt các nội dung sau:\n"
        "1. Định kỳ hằng năm, gửi báo cáo về Sở Nội vụ trước ngày 01/12.\n"
    )
    [o] = run(text)
    assert o.bearer == JOINED
    assert (o.deadline, o.frequency) == ("--12-01", Frequency.YEARLY)


def test_agency_heading_gives_the_bearer():
    text = (
        "2. Sở Tài chính:\n"
        "a) Hướng dẫn các đơn vị quyết toán kinh phí.\n"
        "b) Định kỳ hằng quý, báo cáo Ủy ban nhân dân tỉnh kết quả giải ngân.\n"
    )
    [o] = run(text)
    assert (o.bearer, o.recipient, o.frequency) == (
        "Sở Tài chính",
        "Ủy ban nhân dân tỉnh",
        Frequency.QUARTERLY,
    )


def test_without_recipients_a_generic_bearer_stays_as_written():
    [o] = run(
        "Đề nghị các cơ quan, đơn vị gửi báo cáo về Sở Nội vụ trước ngày 15/01/2025.",
        recipients=(),
    )
    assert o.bearer == "các cơ quan, đơn vị"


def test_no_bearer_and_no_deadline_is_dropped():
    # a report (no "Kính gửi") describing a practice
    assert run("Định kỳ tổ chức đánh giá, rút kinh nghiệm các mô hình.", recipients=()) == []


def test_proposal_section_creates_nothing():
    duty = "Giao Sở Nội vụ chủ trì xây dựng kế hoạch sơ kết 3 năm thực hiện Chỉ thị.\n"
    assert [o.bearer for o in run(duty)] == ["Sở Nội vụ"]  # a duty on its own
    assert run("V. KIẾN NGHỊ, ĐỀ XUẤT\n" + duty) == []  # a proposal under this heading


def test_regression_numbered_heading_is_one_sentence():
    # "1. Sở Nội vụ" was cut after "1." and lost as the heading of the duties below it
    text = (
        "IV. TỔ CHỨC THỰC HIỆN\n1. Sở Nội vụ\n- Hướng dẫn các đơn vị thực hiện.\n"
        "- Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 20/12/2025.\n"
    )
    [o] = run(text)
    assert (o.bearer, o.recipient, o.deadline) == ("Sở Nội vụ", "UBND tỉnh", "2025-12-20")


def test_period_of_the_duty_is_kept():
    [o] = run(
        "Đề nghị các đơn vị báo cáo kết quả giai đoạn 2021-2025 về Sở Nội vụ trước ngày 30/9/2025."
    )
    assert (o.start, o.end) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31))


def test_period_in_a_cited_title_is_not_the_duty_period():
    text = (
        "Đề nghị các đơn vị gửi kế hoạch thực hiện Chương trình số 05/CTr-UBND "
        "về cải cách hành chính giai đoạn 2021-2025 về Sở Nội vụ trước ngày 20/01/2025."
    )
    c = cite(text, "Chương trình số 05/CTr-UBND", "05/CTR-UBND@2021", Relation.IMPLEMENTS)
    [o] = run(text, citations=(c,))
    assert (o.start, o.end) == (None, None)


def test_delegated_deadline_names_its_document():
    text = (
        "Đề nghị Sở Y tế gửi báo cáo về Ủy ban nhân dân tỉnh theo thời hạn tại "
        "Văn bản số 12/UBND-VX của Ủy ban nhân dân tỉnh."
    )
    c = cite(text, "Văn bản số 12/UBND-VX", "12/UBND-VX@2024")
    [o] = run(text, citations=(c,))
    assert (o.deadline, o.delegated_to, o.recipient) == (
        None,
        "12/UBND-VX@2024",
        "Ủy ban nhân dân tỉnh",
    )


def test_delegated_deadline_goes_to_the_forwarded_letter():
    text = (
        "Ủy ban nhân dân tỉnh nhận được Công văn số 77/BYT-KHTC của Bộ Y tế về việc thực "
        "hiện Chỉ thị số 05/CT-TTg.\n"
        "Giao Sở Y tế chủ trì tham mưu báo cáo gửi Bộ Y tế theo thời gian đề nghị.\n"
    )
    forwarded = cite(text, "Công văn số 77/BYT-KHTC", "77/BYT-KHTC@2024")
    directive = cite(text, "Chỉ thị số 05/CT-TTg", "05/CT-TTG@2024", Relation.IMPLEMENTS)
    [o] = run(text, citations=(forwarded, directive))
    assert (o.bearer, o.recipient, o.delegated_to) == ("Sở Y tế", "Bộ Y tế", "77/BYT-KHTC@2024")


def test_delegated_deadline_with_two_candidates_stays_unresolved():
    text = (
        "Thực hiện Công văn số 3/BNV và Công văn số 4/BTC.\n"
        "Giao Sở Nội vụ gửi báo cáo về Bộ Nội vụ theo thời gian đề nghị.\n"
    )
    a = cite(text, "Công văn số 3/BNV", "3/BNV@2024", Relation.IMPLEMENTS)
    b = cite(text, "Công văn số 4/BTC", "4/BTC@2024", Relation.IMPLEMENTS)
    [o] = run(text, citations=(a, b))
    assert o.delegated_to is None


def test_sentence_continues_across_a_line_break_after_semicolon():
    # regression: a PDF line ending with ";" used to cut the sentence before the duty
    text = (
        "Các huyện ủy tăng cường kiểm tra, giám sát việc thực hiện Chỉ thị;\n"
        "định kỳ báo cáo Ban Thường vụ Tỉnh ủy về kết quả thực hiện.\n"
    )
    [o] = run(text)
    assert o.bearer == "Các huyện ủy"
    assert o.span.text.startswith("Các huyện ủy")


def test_pdf_line_breaks_inside_a_sentence():
    text = (
        "Đề nghị Ủy ban nhân dân các\n\nhuyện gửi báo cáo về Sở Nội vụ\n\ntrước ngày 15/01/2025.\n"
    )
    [o] = run(text)
    assert (o.bearer, o.recipient, o.deadline) == (
        "Ủy ban nhân dân các huyện",
        "Sở Nội vụ",
        "2025-01-15",
    )
    assert o.span.text.startswith("Đề nghị") and o.span.text.endswith("15/01/2025.")


def test_one_off_year_less_deadline_without_document_date():
    [o] = run("Đề nghị Sở Y tế gửi báo cáo về Sở Nội vụ trước ngày 15/01.", doc_date=None)
    assert (o.deadline, o.frequency) == ("--01-15", None)


def test_regression_nothing_after_the_distribution_list():
    # the "Nơi nhận" stop once never fired ("^" does not match at a search position)
    text = (
        "Đề nghị Sở Y tế gửi báo cáo về Sở Nội vụ trước ngày 15/01/2025.\n"
        "Nơi nhận:\n- Như trên;\n"
        "Đề nghị Sở Tư pháp gửi báo cáo về Sở Nội vụ trước ngày 16/01/2025.\n"
    )
    assert [o.bearer for o in run(text)] == ["Sở Y tế"]


@pytest.mark.parametrize(
    "text",
    [
        "Kính gửi Sở Nội vụ tỉnh.\nĐề nghị quý cơ quan phối hợp.\n",
        "V/v gửi báo cáo về Sở Nội vụ trước ngày 15/01/2025\n",
    ],
)
def test_header_lines_are_not_duties(text: str):
    assert run(text, recipients=("Sở Nội vụ tỉnh",)) == []


def test_regression_table_rows_are_not_prose():
    # a tab-separated row once read as "Sở Y tế" + governing "Báo cáo năm"
    assert run("STT\tĐơn vị\tBáo cáo năm\n1\tSở Y tế\tBáo cáo năm 12/BC-SYT\n") == []


def test_heading_with_a_request_verb_gives_the_bearer():
    text = (
        "Thủ tướng Chính phủ yêu cầu:\n"
        "1. Bộ trưởng các bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố chỉ đạo:\n"
        "a) Trong năm 2025, hoàn thành việc số hóa hồ sơ.\n"
        "b) Định kỳ 6 tháng tổ chức đánh giá kết quả số hóa.\n"
        "c) Tổng hợp, báo cáo Thủ tướng Chính phủ trước ngày 15 tháng 12 hằng năm "
        "(qua Bộ Nội vụ).\n"
    )
    found = run(text, recipients=())
    bearer = "Bộ trưởng các bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"
    assert [(o.bearer, o.deadline, o.frequency, o.recipient) for o in found] == [
        (bearer, "2025-12-31", Frequency.ONCE, None),
        (bearer, None, Frequency.HALF_YEARLY, None),
        (bearer, "--12-15", Frequency.YEARLY, "Thủ tướng Chính phủ (qua Bộ Nội vụ)"),
    ]


def test_regression_giao_before_a_capitalised_ban():
    # "giao ban" (a briefing) is a noun only in lower case; "Giao Ban Dân vận …" assigns
    text = "Giao Ban Dân vận Huyện ủy tổng hợp, báo cáo Huyện ủy trước ngày 10/6 và ngày 10/12."
    found = run(text, recipients=())
    assert [(o.bearer, o.deadline) for o in found] == [
        ("Ban Dân vận Huyện ủy", "2025-06-10"),
        ("Ban Dân vận Huyện ủy", "2025-12-10"),
    ]
    assert found[1].action == found[0].action


def test_regression_feedback_noun_is_not_a_proposal():
    # "phản ánh, kiến nghị" (citizens' feedback) once read as a proposal
    [o] = run(
        "Đề nghị Sở Y tế cập nhật phản ánh, kiến nghị của người dân trước ngày 25 hằng tháng."
    )
    assert (o.bearer, o.frequency) == ("Sở Y tế", Frequency.MONTHLY)


def test_regression_past_tense_inside_parentheses():
    # "(đối với đơn vị chưa ban hành)" once made the whole duty descriptive
    text = "Đề nghị Sở Y tế ban hành kế hoạch (đối với đơn vị chưa ban hành) và gửi về Sở Nội vụ "
    [o] = run(text + "trước ngày 15/01/2025.")
    assert (o.action, o.recipient, o.deadline) == ("gửi kế hoạch", "Sở Nội vụ", "2025-01-15")


def test_recipient_after_both_deadlines_serves_both():
    text = (
        "Đề nghị các sở gửi báo cáo 6 tháng trước ngày 15/6 và báo cáo năm trước ngày 10/12 "
        "về Sở Nội vụ."
    )
    first, second = run(text)
    assert (first.recipient, second.recipient) == ("Sở Nội vụ", "Sở Nội vụ")
    assert (first.action, second.action) == ("gửi báo cáo 6 tháng", "gửi báo cáo năm")


def test_report_plans_without_bearer_are_not_duties():
    text = "V. NHIỆM VỤ TRỌNG TÂM\n1. Hoàn thành kết nối các xã còn lại trước ngày 30/9/2025.\n"
    assert run(text, recipients=()) == []
