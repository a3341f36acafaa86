"""Typed hand-offs between the parts of a pretraining step (DESIGN.md §1)."""
from .device_aug_draws import DeviceAugDraws
from .encoder_output import EncoderOutput
from .mask_info import MaskInfo
from .patch_mix_info import PatchMixInfo
from .pixel_mix_info import PixelMixInfo
from .reconstruction import Reconstruction
from .student_view import StudentView
from .teacher_features import TeacherFeatures

__all__ = [
    'MaskInfo', 'EncoderOutput', 'PixelMixInfo', 'PatchMixInfo', 'Reconstruction',
    'TeacherFeatures', 'StudentView', 'DeviceAugDraws'
]
