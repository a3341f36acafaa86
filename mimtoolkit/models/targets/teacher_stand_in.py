"""Freshly initialised teacher weights in the teacher's own file format (for timing and tests)."""
import inspect

import timm
import torch

from mimtoolkit.registry import MODELS
from .timm_vit_teacher import TimmViTTeacher


def save_stand_in_teacher(head: dict, backbone: dict, path: str) -> str:
    """Write random weights of the right shapes for a head's frozen teacher.

    A timm teacher (CLIP, DINO) gets ``timm.create_model``'s initialisation
    as a timm state dict; a ``FrozenViTTeacher`` gets a ``MIMViT`` built from
    its ``encoder`` config (or the student's, as i-MAE fills it in) saved
    as ``backbone.*`` keys.

    Args:
        head (dict): A head config with a ``teacher`` (``distill_head``, ``mimic_head``).
        backbone (dict): The student's backbone config.
        path (str): Where to write the ``.pth`` file.

    Returns:
        str: ``path``.
    """
    from mimtoolkit.models.pretrainers.imae import teacher_like_student
    teacher = head['teacher']
    teacher_cls = MODELS.get(teacher['type'])
    if issubclass(teacher_cls, TimmViTTeacher):
        name = teacher.get('model_name') or inspect.signature(teacher_cls).parameters[
            'model_name'].default
        model = timm.create_model(name, pretrained=False, num_classes=0,
                                  **teacher.get('model_kwargs', None) or {})
        torch.save(model.state_dict(), path)
        return path
    encoder = MODELS.build(teacher_like_student(head, backbone)['teacher']['encoder'])
    encoder.init_weights()
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in encoder.state_dict().items()}}, path)
    return path
