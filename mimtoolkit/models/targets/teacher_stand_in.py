"""Freshly initialised teacher and tokenizer weights in their own file formats (for timing
and tests)."""
import inspect
import os.path as osp
from typing import Collection, Dict

import timm
import torch

from mimtoolkit.registry import MODELS
from .teacher_like_student import teacher_like_student
from .timm_vit_teacher import TimmViTTeacher
from .visual_tokenizers import vqkd_encoder_config


def teacher_heads(model: dict) -> Dict[str, dict]:
    """The head configs that hold a frozen teacher, by their key under ``model``.

    Args:
        model (dict): A pretrainer config.

    Returns:
        dict[str, dict]: E.g. ``{'distill_head': ...}`` or ``{'aux_heads.0': ...}``;
        the values are the config's own dicts (editing them edits the config).
    """
    heads = {'distill_head': model.get('distill_head')}
    heads.update({f'aux_heads.{i}': head for i, head in enumerate(model.get('aux_heads') or [])})
    return {key: head for key, head in heads.items() if head and head.get('teacher')}


def save_stand_in_teacher(head: dict, backbone: dict, path: str) -> str:
    """Write random weights of the right shapes for a head's frozen teacher.

    A timm teacher (CLIP, DINO) gets ``timm.create_model``'s initialisation
    as a timm state dict; a ``FrozenViTTeacher`` gets a ``MIMViT`` built from
    its ``encoder`` config (or the student's, as i-MAE fills it in) saved
    as ``backbone.*`` keys.

    Args:
        head (dict): A head config with a ``teacher`` (``distill_head``, an aux head).
        backbone (dict): The student's backbone config.
        path (str): Where to write the ``.pth`` file.

    Returns:
        str: ``path``.
    """
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


def save_stand_in_tokenizer(target: dict, path: str) -> str:
    """Write freshly initialised weights for a ``DALLETokenizer`` / ``VQKDTokenizer`` config.

    Args:
        target (dict): The ``target_generator`` config.
        path (str): Where to write the ``.pth`` file (the tokenizer's own keys).

    Returns:
        str: ``path``.
    """
    from mmpretrain.models.selfsup.beit import VQKD
    from mmpretrain.models.selfsup.cae import DALLEEncoder
    tokenizer_cls = MODELS.get(target['type'])
    kwargs = {k: v for k, v in target.items() if k not in ('type', 'checkpoint', 'prefix',
                                                           'mean', 'std')}
    defaults = {name: p.default for name, p in inspect.signature(tokenizer_cls).parameters.items()}
    if target['type'].endswith('DALLETokenizer'):
        args = {k: kwargs.get(k, defaults[k]) for k in ('vocab_size', 'n_hid', 'n_blk_per_group')}
        module = DALLEEncoder(**args)
    else:
        module = VQKD(encoder_config=vqkd_encoder_config(kwargs.get('encoder_config')),
                      num_embed=kwargs.get('num_embed', defaults['num_embed']),
                      embed_dims=kwargs.get('embed_dims', defaults['embed_dims']),
                      quantize_kmeans_init=False)
    torch.save(module.state_dict(), path)
    return path


def use_stand_in_weights(model: dict, work_dir: str, cache: Dict[str, str],
                         keep: Collection[str] = ()) -> None:
    """Point every teacher and tokenizer of a pretrainer config at stand-in weights.

    For building a full-scale config where the real weights are not at hand
    (tests, ``print_recipe.py``): the shapes are right, the values random.

    Args:
        model (dict): The ``model`` config, edited in place.
        work_dir (str): Where new stand-in files go.
        cache (dict): Stand-in file by architecture, shared between calls
            (a ViT-B teacher file is 350 MB; write each once).
        keep (Collection[str]): Checkpoints left as they are (e.g. a teacher an earlier
            run trained). Defaults to none.
    """
    def real(part: dict) -> bool:
        return part.get('checkpoint') in keep

    for key, head in teacher_heads(model).items():
        if real(head['teacher']):
            continue
        teacher = dict(head['teacher'], checkpoint=None)
        like_student = not issubclass(MODELS.get(teacher['type']), TimmViTTeacher)
        arch = repr((teacher, model.get('backbone') if like_student else None))
        if arch not in cache:
            cache[arch] = save_stand_in_teacher(
                head, model.get('backbone'), osp.join(work_dir, f'teacher{len(cache)}.pth'))
        head['teacher']['checkpoint'] = cache[arch]
    target = model.get('target_generator') or {}
    if 'checkpoint' in target and not real(target):
        arch = repr(dict(target, checkpoint=None))
        if arch not in cache:
            cache[arch] = save_stand_in_tokenizer(
                target, osp.join(work_dir, f'tokenizer{len(cache)}.pth'))
        target['checkpoint'] = cache[arch]
