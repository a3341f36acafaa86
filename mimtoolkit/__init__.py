"""mimtoolkit: masked-image-modeling pretraining on the OpenMMLab stack.

Importing the package registers every part (``mimtoolkit.registry``), lets
``torch.load(weights_only=True)`` read the toolkit's own mmengine checkpoints, and
lets configs inherit ours as ``_base_ = ['mimtoolkit::mae/...py']``.
"""
from mmengine.config.utils import MODULE2PACKAGE

from .utils import allow_mmengine_checkpoints

__version__ = '0.1.0'

allow_mmengine_checkpoints()
MODULE2PACKAGE.setdefault('mimtoolkit', 'mimtoolkit')

from . import datasets, engine, models, visualization  # noqa: E402,F401
