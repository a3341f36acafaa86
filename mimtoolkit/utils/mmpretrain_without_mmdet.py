"""mmpretrain's models imported without mmdet's: a third of every tool's start-up.

``import mmpretrain.models`` runs ``mmpretrain/models/utils/res_layer_extra_norm.py``, whose
``try: from mmdet.models.backbones import ResNet`` imports all of ``mmdet.models`` (and, through
it, SciPy, scikit-learn and matplotlib's pyplot) for one ResNet layer that only mmpretrain's
BYOL COCO benchmark config uses. Measured here: 3.4 s of the 11 s an ``import mimtoolkit`` took
(``python -X importtime``), paid by every ``tools/*.py`` process and every torchrun rank.

:func:`import_mmpretrain_models` imports ``mmpretrain.models`` with that one ``try`` taking its
``except ImportError`` branch, the branch mmpretrain itself takes where mmdet cannot be imported
(a pretraining install without mmcv's ops). Nothing else changes: ``mmdet.models`` imports as
usual when a detection config (or anything else) asks for it, and the module is dropped from
``sys.modules`` afterwards, so a config that names it in ``custom_imports`` (as that BYOL config
does) runs it again, then with mmdet, and gets its ``ResLayerExtraNorm`` registered.
"""
import importlib
import sys

#: The mmpretrain module whose optional import pulls in ``mmdet.models``.
MMDET_LAYER_MODULE = 'mmpretrain.models.utils.res_layer_extra_norm'


def import_mmpretrain_models() -> None:
    """Import ``mmpretrain.models`` without importing ``mmdet.models``.

    Does nothing where either is imported already (mmdet's models then stay as they are).
    """
    if 'mmpretrain.models' in sys.modules or 'mmdet.models' in sys.modules:
        return
    sys.modules['mmdet.models'] = None  # `import mmdet.models...` raises ImportError meanwhile
    try:
        importlib.import_module('mmpretrain.models')
    finally:
        if sys.modules.get('mmdet.models', False) is None:  # our block, not a real import
            del sys.modules['mmdet.models']
        sys.modules.pop(MMDET_LAYER_MODULE, None)
