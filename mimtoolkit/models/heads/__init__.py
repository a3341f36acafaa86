"""Heads: turn encoder/neck outputs into named losses (the transfer heads are in
``mimtoolkit.models.transfer``)."""
from .base_head import BaseAuxHead, LossHead
from .feature_distill_head import FeatureDistillHead
from .feature_prediction_head import FeaturePredictionHead
from .homologous_contrastive_head import HomologousContrastiveHead
from .mimic_head import MimicHead
from .pixel_reconstruction_head import PixelReconstructionHead
from .token_classification_head import TokenClassificationHead

__all__ = [
    'PixelReconstructionHead', 'FeaturePredictionHead', 'FeatureDistillHead', 'MimicHead',
    'HomologousContrastiveHead', 'TokenClassificationHead', 'LossHead', 'BaseAuxHead'
]
