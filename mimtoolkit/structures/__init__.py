"""Typed hand-offs between the parts of a pretraining step (DESIGN.md §1)."""
from .encoder_output import EncoderOutput
from .mask_info import MaskInfo

__all__ = ['MaskInfo', 'EncoderOutput']
