"""Reading an article file for drafting: the gold .txt convention and every bad input, refused clearly."""

import time

import pytest

from briefing.drafting import MAX_TEXT_BYTES, DraftInputError, read_article_text
from tests.gold import GOLD, PATHS, load


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_read_article_text_gives_the_gold_title_and_body(path):
    title, body = read_article_text((GOLD / f"{path.stem}.txt").read_bytes())
    assert (title, body) == (load(path)["article"]["title"], load(path)["article"]["body"])


def test_read_article_text_drops_a_byte_order_mark_and_windows_newlines():
    raw = "\ufeffHeadline\r\n\r\nFirst paragraph.\r\n\r\nSecond.\r\n".encode()
    assert read_article_text(raw) == ("Headline", "First paragraph.\n\nSecond.")


def test_read_article_text_with_a_title_takes_the_whole_text_as_body():
    assert read_article_text(b"First line of the body.\n\nMore.\n", title="Given") == (
        "Given",
        "First line of the body.\n\nMore.",
    )


def test_read_article_text_refuses_text_that_is_not_utf8():
    with pytest.raises(DraftInputError, match=r"not UTF-8 text \(byte 13 is not valid UTF-8\)"):
        read_article_text("Headline\n\nCaf\xe9".encode("latin-1"))


@pytest.mark.parametrize("raw", [b"", b"\n\n\n", b"   \n"])
def test_read_article_text_refuses_an_empty_file(raw):
    with pytest.raises(DraftInputError, match="The article is empty"):
        read_article_text(raw)


def test_read_article_text_refuses_a_headline_without_body():
    with pytest.raises(DraftInputError, match="a headline but no body"):
        read_article_text(b"Only a headline\n")


def test_read_article_text_refuses_a_binary_file():
    with pytest.raises(DraftInputError, match="binary file"):
        read_article_text(b"Headline\n\n\x00\x01\x02")


def test_read_article_text_refuses_ten_megabytes_at_once():
    raw = b"Headline\n\n" + b"word " * (2 * 1024 * 1024)
    began = time.perf_counter()
    with pytest.raises(DraftInputError, match=f"at most {MAX_TEXT_BYTES:,} bytes"):
        read_article_text(raw)
    assert time.perf_counter() - began < 0.05
