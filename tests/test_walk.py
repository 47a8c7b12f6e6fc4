"""Expanding user paths into input files: order, filters, links, errors."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from ingest.models import IngestError
from ingest.walk import iter_inputs


def make_tree(root: Path, files: list[str]) -> None:
    for rel in files:
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("nội dung", encoding="utf-8")


def rel(root: Path, items: list[Path | IngestError]) -> list[str]:
    out = []
    for item in items:
        assert isinstance(item, Path), item
        out.append(item.relative_to(root).as_posix())
    return out


TREE = [
    "b.txt",
    "a.md",
    "Thư mục mới/Chỉ thị số 12 của Bộ.docx",
    "Thư mục mới/con/báo cáo.PDF",
    "Thư mục mới/con/trang.htm",
    "z/ghi chú.html",
    "z/bảng.xlsx",  # not an input type
    "z/~$khoá.docx",  # Word lock file
    ".ẩn/x.txt",  # hidden folder
    "z/.ẩn.txt",  # hidden file
]


def test_walk_sorted_filtered_recursive(tmp_path: Path) -> None:
    make_tree(tmp_path, TREE)
    got = rel(tmp_path, list(iter_inputs([tmp_path])))
    assert got == [
        "a.md",
        "b.txt",
        "Thư mục mới/Chỉ thị số 12 của Bộ.docx",
        "Thư mục mới/con/báo cáo.PDF",
        "Thư mục mới/con/trang.htm",
        "z/ghi chú.html",
    ]
    assert list(iter_inputs([tmp_path])) == list(iter_inputs([str(tmp_path)]))  # deterministic


@pytest.mark.parametrize(
    ("suffixes", "expected"),
    [
        ((".pdf",), ["Thư mục mới/con/báo cáo.PDF"]),
        ((".XLSX", ".md"), ["a.md", "z/bảng.xlsx"]),
        ((), []),
    ],
)
def test_suffix_filter_is_case_insensitive(
    tmp_path: Path, suffixes: tuple[str, ...], expected: list[str]
) -> None:
    make_tree(tmp_path, TREE)
    assert rel(tmp_path, list(iter_inputs([tmp_path], suffixes=suffixes))) == expected


def test_explicit_files_are_kept_whatever_their_name(tmp_path: Path) -> None:
    make_tree(tmp_path, TREE)
    given = [tmp_path / "z/bảng.xlsx", tmp_path / "z/.ẩn.txt", tmp_path / "b.txt"]
    assert list(iter_inputs(given)) == given


def test_nfd_file_names(tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Quyết định.txt")
    make_tree(tmp_path, [name])
    assert rel(tmp_path, list(iter_inputs([tmp_path]))) == [name]


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("không có/ở đâu.txt", "file or folder not found"),
        ("", "empty path"),
        ("tên\x00lạ.txt", "invalid path"),
    ],
)
def test_bad_paths_yield_errors(tmp_path: Path, given: str, reason: str) -> None:
    path = str(tmp_path / given) if given else given
    items = list(iter_inputs([path]))
    assert len(items) == 1
    assert isinstance(items[0], IngestError)
    assert reason in items[0].reason
    assert items[0].hint


def test_errors_do_not_stop_the_walk(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt"])
    items = list(iter_inputs([tmp_path / "thiếu.txt", tmp_path / "a.txt"]))
    assert isinstance(items[0], IngestError)
    assert items[1] == tmp_path / "a.txt"


def test_symlink_loop_directory(tmp_path: Path) -> None:
    make_tree(tmp_path, ["gốc/a.txt", "gốc/con/b.txt"])
    (tmp_path / "gốc/con/vòng").symlink_to(tmp_path / "gốc", target_is_directory=True)
    (tmp_path / "gốc/con/lại").symlink_to("..", target_is_directory=True)
    got = rel(tmp_path, list(iter_inputs([tmp_path / "gốc"])))
    assert got == ["gốc/a.txt", "gốc/con/b.txt"]


def test_symlinks_are_followed_once(tmp_path: Path) -> None:
    make_tree(tmp_path, ["thật/a.txt", "khác/b.txt"])
    (tmp_path / "thật/lối tắt").symlink_to(tmp_path / "khác", target_is_directory=True)
    (tmp_path / "thật/bản sao.txt").symlink_to(tmp_path / "thật/a.txt")
    got = rel(tmp_path, list(iter_inputs([tmp_path / "thật", tmp_path / "khác"])))
    # "bản sao.txt" is a.txt again; "khác" was already walked through the link.
    assert got == ["thật/a.txt", "thật/lối tắt/b.txt"]


@pytest.mark.parametrize(
    ("links", "reason"),
    [
        ({"hỏng.txt": "không tồn tại.txt"}, "broken symbolic link"),
        ({"một.txt": "hai.txt", "hai.txt": "một.txt"}, "symbolic link loop"),
    ],
)
def test_bad_links_inside_folders(tmp_path: Path, links: dict[str, str], reason: str) -> None:
    for name, target in links.items():
        (tmp_path / name).symlink_to(tmp_path / target)
    items = list(iter_inputs([tmp_path]))
    assert items
    assert all(isinstance(i, IngestError) and reason in i.reason for i in items)


def test_special_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ống.txt")
    assert list(iter_inputs([tmp_path])) == []  # skipped inside folders
    items = list(iter_inputs([tmp_path / "ống.txt"]))
    assert isinstance(items[0], IngestError)
    assert "not a regular file" in items[0].reason


ROOT_SKIP = pytest.mark.skipif(
    os.geteuid() == 0,
    reason="running as root: root bypasses file permissions, so chmod 000 cannot deny access",
)


@ROOT_SKIP
def test_unreadable_folder(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.txt", "kín/b.txt"])
    (tmp_path / "kín").chmod(0)
    try:
        items = list(iter_inputs([tmp_path]))
    finally:
        (tmp_path / "kín").chmod(0o755)
    assert items[0] == tmp_path / "a.txt"
    assert isinstance(items[1], IngestError)
    assert "permission denied" in items[1].reason


@ROOT_SKIP
def test_unreadable_file(tmp_path: Path) -> None:
    make_tree(tmp_path, ["kín.txt"])
    (tmp_path / "kín.txt").chmod(0)
    try:
        items = list(iter_inputs([tmp_path]))
    finally:
        (tmp_path / "kín.txt").chmod(0o644)
    assert isinstance(items[0], IngestError)
    assert items[0].reason == "permission denied"
