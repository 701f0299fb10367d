"""``Idempotency-Key``: a write retried with the same key gets the first answer, not a second write.

A client that got no answer, or a 503, cannot know whether its write was committed; the
``Retry-After`` of a 503 invites a retry that would otherwise fail ("already exists") or apply a
change twice. With a key (any 1–255 printable ASCII characters, e.g. a UUID; per user, kept
``TTL``) the write runs like this, in one transaction:

1. claim the key by inserting its row. A retry of a committed write finds the row taken and gets
   the stored answer (with ``Idempotent-Replayed: true``); one racing the first attempt waits on
   the row's unique index until that attempt commits (then replays) or rolls back (then writes);
2. run the write and build its answer;
3. store the answer in the claimed row.

Answer and write commit together or not at all, so there is never a stored answer without its
write, nor a committed write whose answer is lost. A failed write rolls the claim back with it:
the key can be used again. A key reused for another request (method, path or body) is a 422.
Hand-written: the libraries for this keep the answer outside the write's transaction (in a cache,
or in a second transaction), which is the very gap this closes.
"""

import datetime
import hashlib
import json
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.models import IdempotentResponse

HEADER = "Idempotency-Key"
TTL = datetime.timedelta(hours=24)
KEY = re.compile(r"[\x21-\x7e]{1,255}")
REPLAYED_HEADER = "Idempotent-Replayed"
# The headers of a write's answer worth replaying.
KEPT_HEADERS = ("ETag", "Location")


class KeyReused(exceptions.APIException):
    """The key was used for a different request."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was used for a different request (method, path or body); "
        "use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def key_of(request) -> str | None:
    """The request's Idempotency-Key, or None; a malformed one is a 400."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {HEADER: ["Must be 1 to 255 printable ASCII characters without spaces (a UUID, say)."]},
            code="invalid",
        )
    return key


def fingerprint(request) -> str:
    """What makes two requests the same write: method, path and body (JSON, key order ignored)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n{body}".encode()).hexdigest()


def run(request, write: Callable[[], Response]) -> Response:
    """``write()``'s answer, committed with the write; the stored one for a retried key."""
    key = key_of(request)
    with transaction.atomic():
        if key is None:
            return write()
        claim = _claim(request, key)
        if not isinstance(claim, IdempotentResponse):
            return claim
        response = write()
        claim.status, claim.body = response.status_code, response.data
        claim.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        claim.save(update_fields=["status", "body", "headers"])
        return response


def _claim(request, key: str) -> IdempotentResponse | Response:
    """The new row claiming ``key`` for this request, or the stored answer of its first attempt."""
    fp = fingerprint(request)
    expired = timezone.now() - TTL
    IdempotentResponse.objects.filter(created__lt=expired).delete()
    try:
        with transaction.atomic():
            return IdempotentResponse.objects.create(user=request.user, key=key, fingerprint=fp, status=0)
    except IntegrityError:
        first = IdempotentResponse.objects.get(user=request.user, key=key)
    if first.fingerprint != fp:
        raise KeyReused()
    return Response(first.body, status=first.status, headers={**first.headers, REPLAYED_HEADER: "true"})
