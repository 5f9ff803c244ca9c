"""The Quantity record: one quantity on one reference day, summarised from its claims.

A derived record, like :class:`~kzdata.models.ClaimRelation`: built by
:func:`kzdata.quantities.derive_quantities`, never contributed. It follows the conventions of
:mod:`kzdata.models` (strict, unknown fields rejected, a description on every field, the id
pattern from :mod:`kzdata.ids`); the figures keep their claims (``*_claim_ids``) so that
nothing is averaged away: every number in a row is a figure someone stated.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from kzdata import ids
from kzdata.models import ActorId, Amount, ClaimId, NonNegInt
from kzdata.vocab import BestRule, Predicate, Unit

QuantityId = Annotated[str, StringConstraints(pattern=ids.QUANTITY_ID_PATTERN)]


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class Quantity(_Record):
    """One quantity (predicate, scope, unit) as of one day: low / best / high and who said them."""

    record_type: Literal["quantity"] = Field(description="Record discriminator; always 'quantity'.")
    id: QuantityId = Field(description="'qty-' + 16 hex of the SHA-256 of predicate, scope, unit and as_of.")
    predicate: Predicate = Field(description="What is counted, as in the claims (e.g. 'detained').")
    scope: str | None = Field(
        description="The claims' scope: where and whom the count covers (e.g. 'nationwide, security forces')."
    )
    unit: Unit = Field(description="What the figures count.")
    as_of: date = Field(description="The day the figures refer to (the claims' as_of, else their stated_on).")
    low: Amount | None = Field(
        description="Smallest figure stated by a standing claim (not retracted, corrected or withdrawn); null if none."
    )
    best: Amount | None = Field(description="The figure chosen by `rule`; always a figure some claim stated.")
    high: Amount | None = Field(
        description="Largest figure stated by a standing claim (not retracted, corrected or withdrawn); null if none."
    )
    low_claim_ids: list[ClaimId] = Field(description="The standing claims that state `low`, sorted.")
    best_claim_ids: list[ClaimId] = Field(
        description="The standing claims that state `best` as an exact or approximate figure, sorted."
    )
    high_claim_ids: list[ClaimId] = Field(description="The standing claims that state `high`, sorted.")
    claim_ids: list[ClaimId] = Field(description="Every claim about this quantity and day, retracted ones included.")
    n_claims: NonNegInt = Field(description="Number of claims behind the row (len of claim_ids).")
    n_claimants: NonNegInt = Field(
        description="Number of distinct claimants; a claim without claimant counts as its source's outlet."
    )
    n_sources: NonNegInt = Field(description="Number of distinct sources the claims are quoted from.")
    contested: bool = Field(description="True when two standing claims of the row are linked by 'contradicts'.")
    latest_official: Amount | None = Field(
        description="The newest exact or approximate figure of the day from the body responsible for the count."
    )
    latest_official_claim_id: ClaimId | None = Field(description="The claim that states latest_official.")
    latest_official_claimant_id: ActorId | None = Field(
        description="The responsible body that stated latest_official (see kzdata/data/responsible.yaml)."
    )
    rule: BestRule = Field(description="The documented rule that chose `best`.")
