"""Cutting a text by spans that nest, overlap or coincide (briefing.highlights), for highlighting."""

from hypothesis import given
from hypothesis import strategies as st

from briefing.highlights import KeySpan, paragraphs, segment


def runs_of(text, spans):
    return [run for paragraph in segment(text, spans) for run in paragraph]


def test_identical_spans_share_one_run_and_both_open_and_close_there():
    (runs,) = segment("a said b", [KeySpan("x", 2, 6), KeySpan("y", 2, 6)])
    assert [(r.text, r.keys, r.opens, r.closes) for r in runs] == [
        ("a ", (), (), ()),
        ("said", ("x", "y"), ("x", "y"), ("x", "y")),
        (" b", (), (), ()),
    ]


def test_a_nested_span_is_listed_after_the_span_around_it():
    (runs,) = segment("abcdef", [KeySpan("inner", 2, 4), KeySpan("outer", 1, 5)])
    assert [(r.text, r.keys) for r in runs] == [
        ("a", ()),
        ("b", ("outer",)),
        ("cd", ("outer", "inner")),
        ("e", ("outer",)),
        ("f", ()),
    ]


def test_a_span_across_a_paragraph_break_continues_in_the_next_paragraph():
    first, second = segment("ab\n\ncd", [KeySpan("x", 1, 5)])
    assert [(r.text, r.start, r.keys, r.opens, r.closes) for r in first] == [
        ("a", 0, (), (), ()),
        ("b", 1, ("x",), ("x",), ()),
    ]
    assert [(r.text, r.start, r.keys, r.opens, r.closes) for r in second] == [
        ("c", 4, ("x",), (), ("x",)),
        ("d", 5, (), (), ()),
    ]


def test_paragraphs_leave_out_the_breaks_and_empty_lines():
    assert paragraphs("\nab\r\n\ncd\n") == [(1, 3), (6, 8)]


texts = st.text(alphabet="ab \n", max_size=40)


@st.composite
def text_and_spans(draw):
    text = draw(texts)
    bounds = st.integers(min_value=0, max_value=len(text))
    pairs = draw(st.lists(st.tuples(bounds, bounds).filter(lambda p: p[0] < p[1]), max_size=8))
    return text, [KeySpan(number, start, end) for number, (start, end) in enumerate(pairs)]


@given(text_and_spans())
def test_runs_cover_every_character_outside_breaks_once_in_order(case):
    text, spans = case
    runs = runs_of(text, spans)
    covered = [offset for run in runs for offset in range(run.start, run.end)]
    assert covered == [i for i, char in enumerate(text) if char not in "\r\n"]
    assert all(run.text == text[run.start : run.end] and run.text for run in runs)


@given(text_and_spans())
def test_each_run_names_exactly_the_spans_covering_it_outermost_first(case):
    text, spans = case
    order = {s.key: rank for rank, s in enumerate(sorted(spans, key=lambda s: (s.start, -s.end, s.key)))}
    for run in runs_of(text, spans):
        expected = {s.key for s in spans if s.start <= run.start and run.end <= s.end}
        assert set(run.keys) == expected
        assert list(run.keys) == sorted(run.keys, key=order.get)
        # A run never straddles a span's edge.
        assert not any(run.start < edge < run.end for s in spans for edge in (s.start, s.end))


@given(text_and_spans())
def test_a_spans_runs_spell_its_text_without_breaks_and_it_opens_and_closes_once(case):
    text, spans = case
    runs = runs_of(text, spans)
    for span in spans:
        own = [run for run in runs if span.key in run.keys]
        visible = "".join(c for c in text[span.start : span.end] if c not in "\r\n")
        assert "".join(run.text for run in own) == visible
        opened = [run for run in runs if span.key in run.opens]
        closed = [run for run in runs if span.key in run.closes]
        assert (opened, closed) == ((own[:1], own[-1:]) if own else ([], []))
