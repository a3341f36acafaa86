"""A reproduced table as markdown: each number next to the paper's."""
from typing import Dict, List

from .table import Table

SMOKE_NOTE = ('**Smoke run** (`--smoke`): every step shrunk (a few real photos, one epoch, '
              '32-64 px, a 32-wide 4-layer model, random stand-in teacher weights). The steps '
              'and their wiring are the table\'s; the numbers test them and mean nothing.')


def number(value) -> str:
    """A table cell: two decimals, or a dash for no number."""
    return '—' if value is None else f'{value:.2f}'


def markdown(table: Table, results: Dict[str, dict], smoke: bool) -> str:
    """The table, ``reproduced | paper`` per column, with its source and notes.

    Args:
        table (Table): The table.
        results (dict): Each step's record (``TableRun.run``).
        smoke (bool): Whether the steps ran shrunk (the table then says so).
    """
    lines: List[str] = [f'## {table.title}', '', f'Source: {table.source}.', '']
    if smoke:
        lines += [SMOKE_NOTE, '']
    head = ['method'] + [f'{c}: {who}' for c in table.columns for who in ('reproduced', 'paper')]
    lines += ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for label, cells in table.rows:
        row = [label]
        for cell in cells:
            if cell is None:
                row += ['—', '—']
                continue
            row += [number(table.value(cell, results)), number(cell.paper)]
        lines.append('| ' + ' | '.join(row) + ' |')
    lines += [''] + [f'- {note}' for note in table.notes]
    return '\n'.join(lines) + '\n'
