"""Reading a rendered page as a person (or a screen reader) would: its text, links and highlights."""

import re
from html.parser import HTMLParser

VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}
# Elements that separate words in the page's text, as a browser lays them out.
BLOCKS = {
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "section",
    "article",
    "blockquote",
    "br",
}


class Page(HTMLParser):
    """A parsed page: ``links`` as ``(href, text)``, ``marks`` as ``(statement ids, text)``, ``text``.

    ``ids`` lists every element id in document order (duplicates included, to catch them).
    """

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.marks: list[tuple[tuple[int, ...], str]] = []
        self.ids: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._open_links: list[list] = []
        self._open_marks: list[list] = []
        self._chunks: list[str] = []
        self.feed(html)
        self.close()
        self.text = re.sub(r"\s+", " ", "".join(self._chunks)).strip()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCKS:
            self._chunks.append(" ")
        if tag in VOID:
            return
        self._stack.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a" and "href" in attributes:
            self._open_links.append([attributes["href"], []])
        if tag == "mark" and "data-statements" in attributes:
            self._open_marks.append([tuple(int(i) for i in attributes["data-statements"].split()), []])

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._chunks.append(" ")
        if tag in VOID or not self._stack:
            return
        opened, attributes = self._stack.pop()
        if opened == "a" and "href" in attributes:
            href, text = self._open_links.pop()
            self.links.append((href, re.sub(r"\s+", " ", "".join(text)).strip()))
        if opened == "mark" and "data-statements" in attributes:
            ids, text = self._open_marks.pop()
            self.marks.append((ids, "".join(text)))

    def handle_data(self, data):
        self._chunks.append(data)
        for _, text in self._open_links:
            text.append(data)
        for _, text in self._open_marks:
            text.append(data)

    def hrefs(self) -> list[str]:
        """Every link target, in document order."""
        return [href for href, _ in self.links]

    def highlighted(self) -> dict[int, str]:
        """For each statement id, the text of every highlight covering it, joined in order."""
        found: dict[int, list[str]] = {}
        for ids, text in self.marks:
            for statement in ids:
                found.setdefault(statement, []).append(text)
        return {statement: "".join(parts) for statement, parts in found.items()}


def section(html: str, element_id: str) -> str:
    """The HTML of the ``<section>`` labelled by the heading with ``element_id`` (up to its end)."""
    start = html.index(f'aria-labelledby="{element_id}"')
    depth, position = 0, html.rindex("<section", 0, start)
    for match in re.finditer(r"<(/?)section\b", html[position:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[position : position + match.end()]
    raise AssertionError(f"section {element_id} is not closed")
