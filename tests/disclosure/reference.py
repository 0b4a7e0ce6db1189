"""The simple reference method the tests hold `protect` to (not used by the package).

Repeat until the audit passes: take the first count of 1 to 5 that fails, and suppress the
smallest cell still shown in its row or column (any relation it is part of); if all of
those are suppressed already, the smallest cell still shown in a relation with any
suppressed cell. Ties go to the first key.

A cell that passes stays passing when more cells are suppressed (suppression only widens
ranges), so the cells are audited one at a time, in key order, which gives the same result
as re-auditing the whole table each time, faster.
"""

from __future__ import annotations

from bulletin.core.settings import Disclosure
from bulletin.disclosure import ProtectedTable, Table, audit, is_primary


def reference_protect(table: Table, t: Disclosure) -> ProtectedTable:
    suppressed = {k for k, v in table.cells.items() if is_primary(v, t)}
    relations = [(rel.total, *rel.parts) for rel in table.relations]
    for x in sorted(suppressed):
        while not audit(ProtectedTable.of(table, suppressed, t), keys=[x]).passes:
            near = {k for cells in relations if x in cells for k in cells} - suppressed
            if not near:
                near = {k for cells in relations if suppressed & set(cells) for k in cells}
                near -= suppressed
            suppressed.add(min(near, key=lambda k: (table.cells[k], k)))
    return ProtectedTable.of(table, suppressed, t)
