"""Maskers: choose the patches a MIM encoder does not see."""
from .base_masker import BaseMasker
from .blockwise_masker import BlockwiseMasker
from .focused_masker import FocusedMasker
from .random_masker import RandomMasker

__all__ = ['BaseMasker', 'RandomMasker', 'BlockwiseMasker', 'FocusedMasker']
