"""What the cross-record checks need of one claim, as a small picklable tuple.

A claim is parsed (and its single-record checks run) wherever its line is read — in this
process or a worker — and only its :data:`ClaimFacts` travel to the
:class:`~kzdata.validate.ledger.Ledger`: ids, references, the 16-byte digest of its key,
the cumulative figure and what its quote check needs. Dates are day ordinals (ints), which
are cheaper to send and to keep than :class:`datetime.date` objects.
"""

from __future__ import annotations

from kzdata.records import ids
from kzdata.records.models import Claim
from kzdata.records.vocab import Predicate, Status

CUMULATIVE = frozenset({Predicate.DETAINED, Predicate.KILLED})
"""Predicates whose figure, from one claimant and scope, should not fall over time (KZ604)."""
_NOT_COUNTED = (Status.RETRACTED, Status.CORRECTED)

FigureKey = tuple[str, str, str]
"""(claimant id, predicate, scope) of a cumulative figure."""
Figure = tuple[FigureKey, int, float]
"""(key, day ordinal of as_of or else stated_on, amount) of a cumulative figure."""
ClaimFacts = tuple[str, tuple[str | None, ...], str | None, bytes, Figure | None, int, int, int, str | None]
"""The ledger's view of one claim, a plain tuple (cheap to build, send and unpack):

0. id;
1. refs: source_id, claimant_id, event_id, subject_id, then each of relayed_by;
2. the deterministic id when the claim's id differs from it (KZ605), else None;
3. the 16-byte digest of (source_id, span start, span end, predicate): equal keys, same claim;
4. the counted cumulative figure (:data:`Figure`), else None;
5. stated_on as a day ordinal, 0 when unknown;
6. span start; 7. span end;
8. the quote when its length matches the span (so it can be compared with the text), else None.
"""
_VALUES = {p: p.value for p in Predicate}


def claim_facts(claim: Claim) -> ClaimFacts:
    """The facts of a parsed claim."""
    span = claim.span
    start, end, source_id, quote = span.start, span.end, claim.source_id, claim.quote
    predicate = claim.predicate
    expected, digest = ids.claim_id_and_digest(source_id, start, end, _VALUES[predicate])
    stated = claim.stated_on
    return (
        claim.id,
        (source_id, claim.claimant_id, claim.event_id, claim.subject_id, *claim.relayed_by),
        None if claim.id == expected else expected,
        digest[:16],
        _figure(claim) if predicate in CUMULATIVE else None,
        stated.toordinal() if stated is not None else 0,
        start,
        end,
        quote if end - start == len(quote) > 0 else None,
    )


def _figure(claim: Claim) -> Figure | None:
    value, day = claim.value, claim.as_of or claim.stated_on
    if value is None or value.amount is None or day is None:
        return None
    if claim.claimant_id is None or claim.status in _NOT_COUNTED:
        return None
    return (claim.claimant_id, _VALUES[claim.predicate], claim.scope or ""), day.toordinal(), value.amount
