"""A distillation head whose teacher copies the student's encoder (i-MAE's MAE teacher)."""
from typing import Optional, Union

import torch.nn as nn

PartCfg = Optional[Union[dict, nn.Module]]


def teacher_like_student(head: PartCfg, backbone: PartCfg) -> PartCfg:
    """A distillation head config whose teacher, if it names no ``encoder``, gets the backbone's.

    Args:
        head (dict | nn.Module | None): The distillation head config.
        backbone (dict | nn.Module): The student's backbone config.

    Returns:
        The head config (a copy when filled in).
    """
    if not isinstance(head, dict) or not isinstance(backbone, dict):
        return head
    teacher = head.get('teacher')
    if not isinstance(teacher, dict) or 'encoder' in teacher:
        return head
    encoder = {k: v for k, v in backbone.items() if k != 'init_cfg'}
    return dict(head, teacher=dict(teacher, encoder=encoder))
