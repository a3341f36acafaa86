"""Every paper table ``tools/reproduce.py`` runs, by name."""
from typing import Dict

from ..table import Table
from . import imae, mixedae, mrmae, semanticmim

TABLES: Dict[str, Table] = {
    t.name: t for module in (imae, mixedae, mrmae, semanticmim) for t in module.TABLES}

__all__ = ['TABLES']
