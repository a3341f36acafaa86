"""Every registered part by kind: arguments, allowed values, source, and where it fits.

The facts come from the parts themselves: the constructor's signature (defaults), the
``choices`` its checks allow, its ``source``, the library class it subclasses, and, for the
parts a config swaps inside a pretrainer (encoder switches, mixers, maskers, auxiliary heads),
a tiny build and step of it in every pretrainer (:mod:`.tiny_examples`): the build-time checks
themselves say which pretrainers accept it. A loss fits the heads whose call it answers
(``compares``, the fact ``build_loss`` checks).
"""
import inspect
import tempfile
from typing import Callable, Dict, List, Optional

import torch

from mimtoolkit.registry import PART_KINDS, parts_of_kind
from mimtoolkit.utils import ConfigError
from .tiny_examples import (MASKERS, MIXERS, SWITCHES, aux_head_examples, main_head_examples,
                            pretrainer_examples, write_tiny_weights)

#: The libraries whose classes our parts subclass (what a part wraps).
LIBRARIES = ('mmpretrain', 'mmseg', 'mmdet', 'timm')
#: What a tiny step in a probe reads.
PROBE_BATCH = (4, 3, 32, 32)


class _Invalid:
    """A value no argument check accepts (to read a check's own rule)."""

    def __repr__(self) -> str:
        return '<invalid>'


#: Kinds whose parts build in milliseconds from their defaults, so each argument's rule can
#: be read from the part's own check (the message it raises for an invalid value).
PROBED_ARGUMENT_KINDS = ('loss', 'masker', 'mixer')


def checked_rule(cls: type, name: str) -> str:
    """What a part's constructor check says it expects for one argument, or ''.

    Args:
        cls (type): A part whose other arguments all have defaults.
        name (str): The argument.
    """
    try:
        cls(**{name: _Invalid()})
    except ConfigError as error:
        field, _, rule = str(error).partition(' is invalid: expected ')
        return rule if field.endswith(f'.{name}=<invalid>') else ''
    except Exception:  # noqa: BLE001 (an argument without a check of its own)
        return ''
    return ''


def arguments(cls: type) -> List[tuple]:
    """(name, default, allowed values) of a part's constructor arguments.

    Arguments a constructor passes on as ``**kwargs`` are those of the next
    class up its MRO (as far as the chain of ``**kwargs`` goes). Allowed values
    are the part's ``choices`` or, for the kinds in
    :data:`PROBED_ARGUMENT_KINDS`, the rule its check states.

    Args:
        cls (type): A registered part.

    Returns:
        list[tuple[str, str, str]]: ``default`` is ``'required'`` for an
        argument without one; ``allowed`` is ``''`` where nothing is stated.
    """
    choices = getattr(cls, 'choices', {})
    probe_rules = cls.part_kind in PROBED_ARGUMENT_KINDS
    rows, seen = [], set()
    for owner in cls.__mro__:
        if '__init__' not in vars(owner):
            continue
        params = inspect.signature(owner.__init__).parameters.values()
        for p in params:
            if p.name in ('self', 'init_cfg') or p.name in seen or p.kind in (
                    p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            seen.add(p.name)
            default = 'required' if p.default is p.empty else repr(p.default)
            if p.name in choices:
                allowed = '`' + ', '.join(repr(v) for v in choices[p.name]) + '`'
            else:
                allowed = checked_rule(cls, p.name) if probe_rules else ''
            rows.append((p.name, default, allowed))
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            break
    return rows


#: The class facts a pretrainer's build-time checks read.
PRETRAINER_FACTS = ('accepts_mixer', 'needs_masker', 'reads_masked_tokens',
                    'supports_segments', 'head_types', 'aux_fields', 'masks_clean_images')


def wraps(cls: type) -> str:
    """The nearest library class a part subclasses (``'mmpretrain.VisionTransformer'``), or ''."""
    for base in cls.__mro__[1:]:
        root = base.__module__.split('.')[0]
        if root in LIBRARIES:
            return f'{root}.{base.__name__}'
    return ''


def summary(cls: type) -> str:
    """The first line of a part's docstring."""
    return inspect.getdoc(cls).splitlines()[0] if cls.__doc__ else ''


def probe_slots(files: Dict[str, str]) -> Dict[str, Callable[[dict], dict]]:
    """How each swappable part goes into a pretrainer's tiny config, by part name."""
    aux = aux_head_examples(files)
    slots = dict(SWITCHES)
    slots.update({name: (lambda cfg, m=cfg: dict(cfg, mixer=m)) for name, cfg in MIXERS.items()})
    for name, masker in MASKERS.items():
        # a saliency masker needs a full-image teacher: probe it with MR-MAE's mimic head
        heads = [aux['MimicHead']] if name == 'FocusedMasker' else []
        slots[name] = (lambda cfg, m=masker, h=heads: dict(
            cfg, masker=m, aux_heads=cfg.get('aux_heads', []) + h))
    slots.update({name: (lambda cfg, h=head: dict(cfg, aux_heads=[h]))
                  for name, head in aux.items()})
    slots.update({name: (lambda cfg, h=head: dict(cfg, head=h))
                  for name, head in main_head_examples().items()})
    return slots


def probe(cfg: dict) -> Optional[str]:
    """None if a config builds and trains one tiny step, else why not.

    Args:
        cfg (dict): A pretrainer config.

    Returns:
        str, optional: The ``ConfigError`` message, or ``'fails ..., unchecked: <error>'``
        for an error the build-time checks missed.
    """
    from mimtoolkit.registry import MODELS
    try:
        model = MODELS.build(cfg)
    except ConfigError as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 (reported, not hidden)
        return f'fails to build, unchecked: {type(error).__name__}: {error}'
    try:
        model.loss(torch.randn(*PROBE_BATCH), None)
    except Exception as error:  # noqa: BLE001 (reported, not hidden)
        return f'fails in its first step, unchecked: {type(error).__name__}: {error}'
    return None


def acceptance() -> Dict[str, Dict[str, Optional[str]]]:
    """For every swappable part, each pretrainer's answer (None = accepted, else the refusal)."""
    from mmengine.registry import init_default_scope
    init_default_scope('mimtoolkit')
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as root:
        files = write_tiny_weights(root)
        hosts = pretrainer_examples(files)
        answers = {name: {p: probe(slot(dict(cfg))) for p, cfg in hosts.items()}
                   for name, slot in probe_slots(files).items()}
    return {name: {p: (r.replace(root, '<weights>') if r else r) for p, r in row.items()}
            for name, row in answers.items()}


def holders(name: str, answers: Dict[str, Dict[str, Optional[str]]]) -> List[str]:
    """The pretrainers that hold a part inside another one: in a tiny example (or a switch
    of it that the pretrainer accepts), in an auxiliary head's example, or as a default."""
    files = dict(dino='', dalle='', mae='')
    found = []
    aux = [repr(h) for h in aux_head_examples(files).values()]
    for p, cfg in pretrainer_examples(files).items():
        cfgs = [cfg] + [switch(dict(cfg)) for s, switch in SWITCHES.items()
                        if answers.get(s, {}).get(p) is None]
        defaults = [repr(v.default) for v in inspect.signature(
            parts_of_kind('pretrainer')[p].__init__).parameters.values()]
        needle = f"'type': '{name}'"
        if any(needle in text for text in [repr(c) for c in cfgs] + defaults + (
                aux if answers.get('MimicHead', {}).get(p) is None else [])):
            found.append(p)
    return found


def fits(name: str, cls: type, answers: Dict[str, Dict[str, Optional[str]]]) -> str:
    """Where a part fits, in words."""
    if cls.part_kind == 'loss':
        heads = sorted(h for h, c in parts_of_kind('head').items()
                       if getattr(c, 'loss_compares', None) == cls.compares)
        return f'the `loss` of {", ".join(heads)} (a {cls.compares} loss)'
    if cls.part_kind == 'pretrainer':
        return 'the top of a config (`model.type`); its checks read ' + ', '.join(
            f'`{fact}={getattr(cls, fact)!r}`' for fact in PRETRAINER_FACTS)
    if name in answers:
        ok = [p for p, reason in answers[name].items() if reason is None]
        return ', '.join(ok) if ok else 'none'
    # not swapped by a config key of its own: where it sits, and who holds it in the examples
    held_by = holders(name, answers)
    where = [getattr(cls, 'slot', '')] + (
        [f'inside the examples of {", ".join(held_by)}'] if held_by else [])
    return '(not probed) ' + '; '.join(w for w in where if w)


def render() -> str:
    """docs/parts.md: the catalogue as markdown."""
    from mimtoolkit.models.losses import LOSS_CALLS
    answers = acceptance()
    out = ['# Parts catalogue', '',
           'Every registered part by kind, generated from the registry by '
           '`python -m mimtoolkit.parts > docs/parts.md` (or `tools/misc/print_parts.py`); '
           'do not edit by hand: `tests/test_parts_catalogue.py` fails when this file is stale.',
           '', '"Accepted by" comes from building and training one tiny step of the part in '
           "every pretrainer (the examples of `mimtoolkit/parts/tiny_examples.py`, which the "
           'combination matrix also trains): the build-time checks themselves answer, and '
           'each refusal is quoted. A `FocusedMasker` is probed with a `MimicHead` (it needs a '
           "full-image teacher's saliency). A loss fits the heads whose call it answers.", '',
           "Allowed values are the part's `choices` (the values its checks accept) or, for "
           'losses, maskers and mixers, the rule its own check states when given an invalid '
           'value.', '']
    for kind in PART_KINDS:
        parts = parts_of_kind(kind)
        if not parts:
            continue
        out += [f'## {kind}', '']
        if kind == 'loss':
            out += ['The calls a loss answers (`compares`) and how it reduces:', '']
            out += [f'- `{call}`: {text}' for call, text in LOSS_CALLS.items()] + ['']
        for name in sorted(parts):
            cls = parts[name]
            out += [f'### {name}', '', summary(cls), '']
            out.append(f'- source: {getattr(cls, "source", "") or "—"}')
            out.append(f'- wraps: {wraps(cls) or "—"}')
            out.append(f'- accepted by: {fits(name, cls, answers)}')
            refusals = {p: r for p, r in answers.get(name, {}).items() if r}
            out += [f'  - {p} refuses: {r}' for p, r in refusals.items()]
            rows = arguments(cls)
            if rows:
                out += ['', '| argument | default | allowed |', '|---|---|---|']
                out += [f'| `{a}` | {d if d == "required" else f"`{d}`"} | {v} |'
                        for a, d, v in rows]
            out.append('')
    return '\n'.join(out)
