"""Heads: turn encoder/neck outputs into named losses."""
from .feature_prediction_head import FeaturePredictionHead
from .pixel_reconstruction_head import PixelReconstructionHead

__all__ = ['PixelReconstructionHead', 'FeaturePredictionHead']
