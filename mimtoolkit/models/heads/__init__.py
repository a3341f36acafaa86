"""Heads: turn encoder/neck outputs into named losses (and a transfer decode head)."""
from .feature_distill_head import FeatureDistillHead
from .feature_prediction_head import FeaturePredictionHead
from .fp32_proposal_rpn_head import FP32ProposalRPNHead
from .fp32_roi_extractor import FP32SingleRoIExtractor
from .homologous_contrastive_head import HomologousContrastiveHead
from .mimic_head import MimicHead
from .pixel_reconstruction_head import PixelReconstructionHead
from .resized_loss_fcn_head import ResizedLossFCNHead
from .token_classification_head import TokenClassificationHead

__all__ = [
    'PixelReconstructionHead', 'FeaturePredictionHead', 'FeatureDistillHead', 'MimicHead',
    'HomologousContrastiveHead', 'TokenClassificationHead', 'ResizedLossFCNHead',
    'FP32SingleRoIExtractor', 'FP32ProposalRPNHead'
]
