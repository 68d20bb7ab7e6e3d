"""From the spend analysis to actions: every supplier bought from without a contract id, with its share,
largest first; which of them bought more in a calendar year than the direktupphandlingsgräns the team
gave ("kontrollera upphandlingsplikt"); and the contracts that carry the spend.

The threshold is always the team's own figure (input, form or --direktupphandlingsgrans): the sources
do not state the amount, so without it nothing is compared. The comparison is a signal for the team to
check, not a legal assessment – how the value of a purchase is to be calculated is theirs to decide.
"""

from __future__ import annotations

from assistant.drafts.models import ContractSpend, SpendActions, SpendAnalysis, SupplierAction


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
