"""Briefings as Markdown a person can paste into a briefing note.

Built from the same JSON data the API returns, so both forms always say the same thing. Each
quotation is a block quote followed by its source line: speaker, meeting, date, and the
article with the character span it was taken from.
"""

import datetime

from rest_framework.renderers import BaseRenderer


class MarkdownRenderer(BaseRenderer):
    """`text/markdown` (`?format=md`): asks the view's `markdown(data)` for the text."""

    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return renderer_context["view"].markdown(data).encode(self.charset)


def _date(value: str | None) -> str:
    """A date at its precision, in words: `2 June 2022`, `June 2022`, `2022` (never a made-up day)."""
    if not value:
        return "date not reported"
    if len(value) == 4:
        return value
    if len(value) == 7:
        return f"{datetime.date.fromisoformat(value + '-01'):%B %Y}"
    day = datetime.date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def _link(item: dict, label_key: str = "name") -> str:
    return f"[{item[label_key]}]({item['url']})"


def _quote(statement: dict, *, with_speaker: bool = True) -> list[str]:
    text = statement["text"]
    body = f"“{text}”" if statement["kind"] == "quote" else text
    source = []
    if with_speaker:
        source.append(statement["speaker"]["name"] if statement["speaker"] else "speaker not named")
    if statement["meeting"]:
        source.append(_link(statement["meeting"], "title"))
    source.append(_date(statement["date"]))
    article = statement["article"]
    source.append(f"{_link(article, 'title')}, characters {statement['start']}–{statement['end']}")
    kind = "" if statement["kind"] == "quote" else " (reported speech)"
    return [f"> {body}", ">", f"> — {', '.join(source)}{kind}", ""]


def _participants(meeting: dict) -> str:
    return "; ".join(f"{p['official']['name']} ({p['role']})" for p in meeting["participants"])


def _where(meeting: dict) -> str:
    return ", ".join(filter(None, [meeting["location"], meeting["city"]])).rstrip(".") or "place not reported"


def _meeting_line(meeting: dict) -> str:
    where = _where(meeting)
    return (
        f"- **{_date(meeting['date'])}** — {_link(meeting, 'title')}, {where}. With {_participants(meeting)}."
    )


def topic_markdown(data: dict) -> str:
    """A topic briefing: meetings by date, then each official's statements on it."""
    topic = data["topic"]
    lines = [f"# Briefing: {topic['name']}", ""]
    if topic["description"]:
        lines += [topic["description"], ""]
    if data["subtopics"]:
        lines += ["Covers also: " + ", ".join(t["name"] for t in data["subtopics"]) + ".", ""]
    lines += ["## Meetings", ""]
    lines += [_meeting_line(m) for m in data["meetings"]] or ["No meeting on record."]
    lines += ["", "## Who said what", ""]
    for speaker in data["speakers"]:
        count = speaker["statement_count"]
        lines += [f"### {speaker['official']['name']} ({count} statement{'s' * (count != 1)})", ""]
        for statement in speaker["statements"]:
            lines += _quote(statement, with_speaker=False)
    if data["unattributed"]:
        lines += ["### Speaker not named", ""]
        for statement in data["unattributed"]:
            lines += _quote(statement, with_speaker=False)
    return "\n".join(lines).rstrip() + "\n"


def official_markdown(data: dict) -> str:
    """An official's dossier: roles, meetings with counterparts, statements by topic."""
    official = data["official"]
    lines = [f"# Briefing: {official['name']}", ""]
    organization = official["organization"]
    described = [part for part in (official["title"], organization and organization["name"]) if part]
    if described:
        lines += [", ".join(described) + ".", ""]
    lines += ["## Roles held", ""]
    for role in data["roles"]:
        meetings = ", ".join(f"{_link(m, 'title')} ({_date(m['date'])})" for m in role["meetings"])
        lines.append(f"- **{role['role']}** at {meetings}")
    lines += ["", "## Meetings", ""]
    for item in data["meetings"]:
        meeting = item["meeting"]
        others = (
            "; ".join(f"{p['official']['name']} ({p['role']})" for p in item["counterparts"]) or "no one else"
        )
        lines.append(
            f"- **{_date(meeting['date'])}** — {_link(meeting, 'title')}, as {item['role']}, with {others}."
        )
    lines += ["", "## Statements by topic", ""]
    for group in data["statements_by_topic"]:
        lines += [f"### {group['topic']['name'] if group['topic'] else 'Other statements'}", ""]
        for statement in group["statements"]:
            lines += _quote(statement, with_speaker=False)
    return "\n".join(lines).rstrip() + "\n"


def meeting_markdown(data: dict) -> str:
    """A meeting's dossier: who took part, what each said (article order), topics touched."""
    meeting = data["meeting"]
    where = _where(meeting)
    lines = [f"# Briefing: {meeting['title']}", "", f"{_date(meeting['date'])}, {where}.", ""]
    if meeting["summary"]:
        lines += [meeting["summary"], ""]
    if data["topics"]:
        lines += ["Topics: " + ", ".join(t["name"] for t in data["topics"]) + ".", ""]
    for participant in data["participants"]:
        lines += [f"## {participant['official']['name']}, {participant['role']}", ""]
        for statement in participant["statements"]:
            lines += _quote(statement, with_speaker=False)
        if not participant["statements"]:
            lines += ["No statement reported.", ""]
    if data["unattributed"]:
        lines += ["## Speaker not named", ""]
        for statement in data["unattributed"]:
            lines += _quote(statement, with_speaker=False)
    lines += ["## Sources", ""] + [f"- {_link(a, 'title')}" for a in data["articles"]]
    return "\n".join(lines).rstrip() + "\n"
