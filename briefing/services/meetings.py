"""Meetings: the owner of a meeting's participant list and of its statements' dates.

An official takes part in a meeting once (one wording, ``rules.ONCE_PER_MEETING``, whoever
writes); statements said at a meeting carry its date, and follow it when it changes.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from briefing import rules
from briefing.models import Article, Meeting, Official, Participation, Statement, Topic
from briefing.services.records import record_delete, save_in_transaction


def participants_check(officials: Sequence[Official | int | None]) -> None:
    """Refuse a participant list naming an official twice; ``params["index"]`` is the repeat."""
    seen: set[int] = set()
    for index, official in enumerate(officials):
        pk = official.pk if isinstance(official, Official) else official
        if pk is None:
            continue
        if pk in seen:
            raise ValidationError(
                rules.ONCE_PER_MEETING, code="duplicate_participant", params={"index": index}
            )
        seen.add(pk)


@transaction.atomic(savepoint=False)
def meeting_save(
    *,
    meeting: Meeting,
    topics: Iterable[Topic] | None = None,
    articles: Iterable[Article] | None = None,
    participants: Sequence[tuple[Official, str]] | None = None,
    reason: str | None = None,
) -> Meeting:
    """Create or change a meeting with its links and (when given) its whole participant list."""
    m2m = {name: objs for name, objs in (("topics", topics), ("articles", articles)) if objs is not None}
    save_in_transaction(instance=meeting, m2m=m2m, reason=reason)
    if participants is not None:
        meeting_participants_set(meeting=meeting, participants=participants, reason=reason)
    statements_follow_date(meeting=meeting, reason=reason)
    return meeting


def meeting_participants_set(
    *,
    meeting: Meeting,
    participants: Sequence[tuple[Official, str]],
    reason: str | None = None,
    keep: Iterable[int] = (),
) -> bool:
    """Make ``participants`` (official, role at the time) the meeting's, in that order.

    Rows are updated in place, so an official's participation keeps its identity and history;
    those not listed are deleted, but for the officials in ``keep`` (the importer keeps an
    editor's additions). Returns whether anything changed. Runs in the caller's transaction.
    """
    participants_check([official for official, _ in participants])
    existing = {p.official_id: p for p in meeting.participations.all()}
    changed = False
    for index, (official, role) in enumerate(participants):
        participation = existing.pop(official.pk, None) or Participation(meeting=meeting, official=official)
        if participation.pk is None or (participation.role, participation.position) != (role, index):
            participation.role, participation.position = role, index
            try:
                save_in_transaction(
                    instance=participation, reason=reason, fetched=("meeting", "official"), force=True
                )
            except ValidationError as exc:
                # A field's rule (e.g. the role's characters): say which listing, as for duplicates.
                field_name, messages = next(iter(exc.message_dict.items()))
                raise ValidationError(
                    " ".join(messages), code="invalid", params={"index": index, "field": field_name}
                ) from exc
            changed = True
    for official_id, participation in existing.items():
        if official_id not in set(keep):
            record_delete(instance=participation, reason=reason)
            changed = True
    return changed


def statements_follow_date(*, meeting: Meeting, reason: str | None = None) -> None:
    """Give the statements said at ``meeting`` its date, at its precision (they carry it to be
    filtered by date); statements said before, after or about it keep their own."""
    said_at = Statement.objects.filter(meeting=meeting, meeting_relation=Statement.Relation.AT)
    when = meeting.reported_date
    stale = [
        s for s in said_at if (s.date, s.date_end, s.date_precision) != (when.start, when.end, when.precision)
    ]
    if not stale:
        return
    for statement in stale:
        statement.set_reported_date(when)
        statement._change_reason = reason
    Statement.objects.bulk_update(stale, ["date", "date_end", "date_precision"])
    Statement.history.bulk_history_create(stale)
