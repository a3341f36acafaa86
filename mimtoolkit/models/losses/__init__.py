"""Losses: the registered ``loss`` kind every head computes its named loss through."""
from .feature_regression_loss import FeatureRegressionLoss
from .loss_contract import LOSS_CALLS, build_loss, check_loss_weight, losses_that_answer
from .pixel_reconstruction_loss import PixelReconstructionLoss
from .supervised_contrastive_loss import SupervisedContrastiveLoss
from .token_cross_entropy_loss import TokenCrossEntropyLoss

__all__ = [
    'FeatureRegressionLoss', 'PixelReconstructionLoss', 'SupervisedContrastiveLoss',
    'TokenCrossEntropyLoss', 'LOSS_CALLS', 'build_loss', 'check_loss_weight', 'losses_that_answer'
]
