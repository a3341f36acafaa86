"""Target generators: what a MIM head regresses (HOG, tokenizers, frozen teachers)."""
from .base_frozen_teacher import BaseFrozenTeacher
from .frozen_vit_teacher import FrozenViTTeacher
from .patch_hog_generator import PatchHOGGenerator
from .teacher_like_student import teacher_like_student
from .teacher_stand_in import (save_stand_in_teacher, save_stand_in_tokenizer, teacher_heads,
                               use_stand_in_weights)
from .timm_vit_teacher import CLIPTeacher, DINOTeacher, TimmViTTeacher
from .visual_tokenizers import BaseVisualTokenizer, DALLETokenizer, VQKDTokenizer

__all__ = [
    'PatchHOGGenerator', 'BaseFrozenTeacher', 'FrozenViTTeacher', 'TimmViTTeacher', 'CLIPTeacher',
    'DINOTeacher', 'save_stand_in_teacher', 'save_stand_in_tokenizer', 'BaseVisualTokenizer',
    'DALLETokenizer', 'VQKDTokenizer', 'teacher_heads', 'use_stand_in_weights',
    'teacher_like_student'
]
