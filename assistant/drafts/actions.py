"""From the spend analysis to actions: every supplier bought from without a contract id, with its share,
largest first; which of them bought more in a calendar year than the direktupphandlingsgräns the team
gave ("kontrollera upphandlingsplikt"); and the contracts that carry the spend.

The threshold is always the team's own figure (input, form or --direktupphandlingsgrans): the sources
do not state the amount, so without it nothing is compared. The comparison is a signal for the team to
check, not a legal assessment – how the value of a purchase is to be calculated is theirs to decide.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.drafts.models import SpendAnalysis


class SupplierAction(BaseModel):
    supplier: str
    amount: float  # the spend that is compared: without a contract id, or all of it when the file has no such column
    share: float  # of the category's total in the file
    by_year: dict[int, float] = Field(default_factory=dict)  # the same spend per calendar year
    over: dict[int, float] = Field(default_factory=dict)  # years above the threshold (0 = the whole, undated file)
    contracts: list[str] = Field(default_factory=list)  # contract ids the supplier also has in the file

    @property
    def over_threshold(self) -> bool:
        return bool(self.over)


class ContractSpend(BaseModel):
    contract: str
    amount: float
    suppliers: list[str]


class SpendActions(BaseModel):
    threshold: float | None
    contract_column: bool  # False: the file cannot tell purchases with and without a contract apart
    dated: bool  # True: amounts are compared per calendar year
    without_contract: list[SupplierAction]  # every supplier with spend without a contract id, largest first
    over_threshold: list[SupplierAction]  # the suppliers to check for upphandlingsplikt, largest first
    category_over: dict[int, float] = Field(default_factory=dict)  # the category's spend w/o contract above it
    contracts: list[ContractSpend] = Field(default_factory=list)  # largest first

    @property
    def without_contract_amount(self) -> float:
        return sum(a.amount for a in self.without_contract)


def spend_actions(a: SpendAnalysis, threshold: float | None) -> SpendActions:
    dated = bool(a.years)
    candidates: list[SupplierAction] = []
    for s in a.suppliers:
        if a.has_contract_column:
            amount, by_year = s.without_contract, dict(s.without_contract_by_year)
        else:
            amount, by_year = s.amount, dict(s.by_year)
        if amount <= 0:
            continue
        over: dict[int, float] = {}
        if threshold is not None:
            periods = by_year if dated else {0: amount}
            over = {y: v for y, v in periods.items() if v > threshold}
        candidates.append(SupplierAction(supplier=s.supplier, amount=amount, share=amount / a.total if a.total > 0 else 0.0,
                                         by_year=by_year, over=over, contracts=s.contracts))
    candidates.sort(key=lambda c: (-c.amount, c.supplier.casefold()))

    category_over: dict[int, float] = {}
    if threshold is not None and a.has_contract_column:
        if dated:
            category_over = {y.year: y.without_contract for y in a.years
                             if y.without_contract is not None and y.without_contract > threshold}
        elif (a.without_contract_amount or 0) > threshold:
            category_over = {0: a.without_contract_amount or 0.0}

    contracts: dict[str, ContractSpend] = {}
    for s in a.suppliers:
        for c, amount in s.contract_amounts.items():
            entry = contracts.setdefault(c, ContractSpend(contract=c, amount=0.0, suppliers=[]))
            entry.amount = round(entry.amount + amount, 2)
            entry.suppliers.append(s.supplier)
    return SpendActions(
        threshold=threshold,
        contract_column=a.has_contract_column,
        dated=dated,
        without_contract=candidates if a.has_contract_column else [],
        over_threshold=[c for c in candidates if c.over_threshold],
        category_over=category_over,
        contracts=sorted(contracts.values(), key=lambda c: (-c.amount, c.contract)),
    )
