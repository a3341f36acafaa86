"""mimtoolkit: masked-image-modeling pretraining on the OpenMMLab stack.

Importing the package registers every part (``mimtoolkit.registry``) and lets
``torch.load(weights_only=True)`` read the toolkit's own mmengine checkpoints.
"""
from .utils import allow_mmengine_checkpoints

__version__ = '0.1.0'

allow_mmengine_checkpoints()

from . import datasets, engine, models, visualization  # noqa: E402,F401
