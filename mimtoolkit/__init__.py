"""mimtoolkit: masked-image-modeling pretraining on the OpenMMLab stack.

Importing the package registers every part (``mimtoolkit.registry``), lets
``torch.load(weights_only=True)`` read the toolkit's own mmengine checkpoints, and
lets configs inherit ours as ``_base_ = ['mimtoolkit::mae/...py']``.
"""
import warnings

from mmengine.config.utils import MODULE2PACKAGE

# A pretraining install has mmcv without its compiled ops (mmcv-lite, `make install`), where
# mmcv warns on import that one transfer op is missing; `make install-ops` adds the ops, and a
# transfer config run without them says so in one line.
warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')

from .utils import allow_mmengine_checkpoints, import_mmpretrain_models

__version__ = '0.1.0'

allow_mmengine_checkpoints()
import_mmpretrain_models()  # before anything below imports it: without mmdet's models
MODULE2PACKAGE.setdefault('mimtoolkit', 'mimtoolkit')

from . import datasets, engine, models, visualization  # noqa: E402,F401
