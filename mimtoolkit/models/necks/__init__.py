"""Necks: between the encoder and the heads (disentangle layers, decoders, ViTDet's pyramid;
mmseg's pyramid is in ``mimtoolkit.models.transfer``)."""
from .disentangle_neck import DisentangleNeck
from .linear_patch_decoder import LinearPatchDecoder
from .mae_pretrain_decoder import MAEPretrainDecoder
from .patch_token_mae_decoder import PatchTokenMAEDecoder
from .simple_feature_pyramid import SimpleFeaturePyramid

__all__ = [
    'DisentangleNeck', 'LinearPatchDecoder', 'MAEPretrainDecoder', 'PatchTokenMAEDecoder',
    'SimpleFeaturePyramid'
]
