"""Pretrainers: one file per method, each owning only its wiring."""
from .base_pretrainer import BasePretrainer
from .beit import BEiT
from .imae import IMAE
from .mae import MAE
from .maskfeat import MaskFeat
from .mixedae import MixedAE

__all__ = ['BasePretrainer', 'MAE', 'MaskFeat', 'IMAE', 'MixedAE', 'BEiT']
