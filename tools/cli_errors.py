"""The user's error or a bug: what ``run_cli`` prints for an exception a tool raised.

The user's errors get one line (exit 2); anything raised inside our code or a library is a
bug, whatever the exception's type: its traceback, then one line saying so (exit 1). Which
is which is decided by where the exception was raised (its traceback), not by its type.
"""
import os
import os.path as osp
import sys
from typing import Optional


REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: Where a report goes, and what it needs.
BUG_LINE = ('this is a bug in mimtoolkit or a library it uses, not in your config: please report '
            'it with the command you ran, the config (the work dir\'s copy) and the traceback '
            'above, plus `pip freeze | grep -iE "torch|mm|timm"` (MIMTOOLKIT_TRACEBACK=1 shows '
            'the traceback of a config error too)')
#: Frames of constructing besides ``__init__``: a metaclass's ``__call__`` (the pretrainers'
#: ``CheckedAfterInit`` runs the whole ``__init__`` chain inside it).
CONSTRUCTING = {'__call__'}
#: An override of a field of a part that is None in the base config (mmengine's Config).
NONE_PART = ('in child config cannot inherit from base',
             'a --cfg-options or child-config key sets a field of a part that is None in the '
             'base; give the whole part instead, e.g. KEY=dict(type=...)')


def _config_being_read(err: BaseException) -> Optional[str]:
    """The config file mmengine's Config was reading when ``err`` was raised, if it was."""
    tb, found = err.__traceback__, None
    while tb is not None:
        names = tb.tb_frame.f_locals
        if f'mmengine{os.sep}config' in tb.tb_frame.f_code.co_filename and \
                isinstance(names.get('filename'), str):
            found = names['filename']
        tb = tb.tb_next
    return found


def _tb_frames(err: BaseException) -> list:
    """The traceback's frame objects, outermost first."""
    out, tb = [], err.__traceback__
    while tb is not None:
        out.append(tb.tb_frame)
        tb = tb.tb_next
    return out


def _is_library(path: str) -> bool:
    """An installed library's file, or the standard library's."""
    return 'site-packages' in path or path.startswith(osp.abspath(sys.base_prefix) + os.sep)


def _in_config_file(path: str) -> bool:
    """A Python file that is none of the libraries' and none of the toolkit's own code."""
    path = osp.abspath(path)
    ours = [osp.join(REPO, d) + os.sep for d in ('mimtoolkit', 'tools', 'tests')]
    return path.endswith('.py') and not _is_library(path) and \
        not any(path.startswith(d) for d in ours)


def _binding_error(err: BaseException) -> bool:
    """Raised where mmengine's registry builds a part from its config: by the registry itself
    (an unknown ``type``, a part without one), or while only constructors ran with the
    config's arguments (passing them along with ``**kwargs``), before any of their bodies' own
    calls: an unexpected keyword the config gave, or a missing one."""
    frames = _tb_frames(err)
    builds = [i for i, f in enumerate(frames) if f.f_code.co_name == 'build_from_cfg'
              and 'mmengine' in f.f_code.co_filename]
    if frames and f'mmengine{os.sep}registry' in frames[-1].f_code.co_filename:
        return True  # build_from_cfg, build_scheduler_from_cfg, ... refused the config
    if not builds:
        return False
    after = [f.f_code.co_name for f in frames[builds[-1] + 1:]]
    message = str(err)
    given = frames[builds[-1]].f_locals.get('args') or {}
    if isinstance(err, TypeError) and set(after) - CONSTRUCTING == {'__init__'}:
        if 'unexpected keyword argument' in message:
            return message.rsplit("'", 2)[-2] in given
        return 'required positional argument' in message or 'required keyword-only' in message
    return False


def _library_refusal(err: BaseException) -> Optional[str]:
    """A library constructor refusing a value the config gave it, as mmengine builds the
    run (a part, the data loader, the optimizer): the class, or None.

    The innermost frame is a library class's ``__init__`` validating its arguments, reached
    from mmengine's building code through constructors only (ours or a library's, which
    pass the config's values along): e.g. torch's ``BatchSampler`` refusing
    ``batch_size=0``, mmpretrain's ``VisionTransformer`` an unknown ``arch``.
    """
    if not isinstance(err, (ValueError, AssertionError, KeyError, TypeError)):
        return None
    frames = _tb_frames(err)
    starts = [i for i, f in enumerate(frames) if 'mmengine' in f.f_code.co_filename
              and f.f_code.co_name.startswith('build')]
    if not starts or frames[-1].f_code.co_name != '__init__' or \
            not _is_library(frames[-1].f_code.co_filename):
        return None
    if any(f.f_code.co_name not in CONSTRUCTING | {'__init__'}
           for f in frames[starts[-1] + 1:]):
        return None
    owner = frames[-1].f_locals.get('self')
    return type(owner).__name__ if owner is not None else None


def _unregistered_optimizer(err: BaseException) -> Optional[str]:
    """mmengine's optimizer constructor given a ``type`` no registry has (it fails reading
    the signature of None): the type, or None."""
    if not isinstance(err, TypeError) or 'None is not a callable object' not in str(err):
        return None
    for frame in _tb_frames(err):
        cfg = frame.f_locals.get('optimizer_cfg')
        if f'mmengine{os.sep}optim' in frame.f_code.co_filename and hasattr(cfg, 'get'):
            return cfg.get('type')
    return None


def config_error_line(err: BaseException) -> Optional[str]:
    """The one line an error that is the user's deserves, or None for a bug.

    The user's: our ConfigError and NonFiniteLossError; a missing file; an error raised
    while mmengine executes a config file (a NameError there; a syntax error, named by file
    and line); mmengine's registry refusing a part (unknown ``type``, no ``type``, an
    argument the part does not take, raised by ``build_from_cfg`` itself, not inside the
    part); a library constructor refusing a value the config gave it as mmengine builds
    the run; an optimizer type no registry has; an override of a field of a None part; a
    data worker's error of those kinds.
    Anything else raised inside our code or a library is a bug, whatever its type.
    """
    from mimtoolkit.utils import ConfigError, NonFiniteLossError
    message = str(err.args[0] if isinstance(err, KeyError) and err.args else err)
    if 'Original Traceback' in message:  # raised in a data worker: its own last line
        last = message.strip().splitlines()[-1]
        kind = last.split(':', 1)[0].split('.')[-1]
        if kind in ('ConfigError', 'FileNotFoundError', 'NonFiniteLossError'):
            return last.split(': ', 1)[-1]
        return None
    if isinstance(err, (ConfigError, NonFiniteLossError, FileNotFoundError)):
        return message
    if isinstance(err, SyntaxError) and _config_being_read(err):
        text = (err.text or '').strip()
        return (f'{_config_being_read(err)} line {err.lineno}: {err.msg}'
                + (f': {text}' if text else ''))
    frames, tb = _tb_frames(err), err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if frames and frames[-1].f_code.co_name == '<module>' and _config_being_read(err) and \
            _in_config_file(frames[-1].f_code.co_filename):
        return (f'{frames[-1].f_code.co_filename} line {tb.tb_lineno}: {type(err).__name__}: '
                f'{message.splitlines()[0] if message else ""}')
    if isinstance(err, (KeyError, TypeError)) and _binding_error(err):
        if 'must contain the key "type"' in message:
            return (message.splitlines()[0] + ': every part needs its type (a --cfg-options '
                    'key that sets a field of a part the config leaves to its default gives '
                    'one without it; set the whole part, e.g. KEY=dict(type=...))')
        if isinstance(err, TypeError):
            return (f'{message.splitlines()[0]} (the config gives that part an argument it '
                    "does not take, or leaves out one it needs: check the key against the "
                    "part's docstring; python -m mimtoolkit.parts lists the parts)")
        return message.splitlines()[0]
    if isinstance(err, TypeError) and NONE_PART[0] in message:
        return f'{message.splitlines()[0]} ({NONE_PART[1]})'
    optimizer = _unregistered_optimizer(err)
    if optimizer is not None:
        return (f'optim_wrapper.optimizer.type={optimizer!r} is invalid: expected an optimizer '
                "of torch.optim or mmengine's registry, e.g. 'AdamW', 'SGD'")
    owner = _library_refusal(err)
    if owner is not None:
        return (f'{owner} refused a value the config gives it: {message.splitlines()[0]} '
                '(check that part\'s keys in the config)')
    return None


def custom_import_line(err: ImportError) -> Optional[str]:
    """The line for a module the config's ``custom_imports`` names that does not exist
    (mmengine's Config re-raises it as "Failed to import custom modules"), or None; a module
    that exists and fails inside is not this."""
    cause = err.__cause__
    while cause is not None and not isinstance(cause, ModuleNotFoundError):
        cause = cause.__cause__ or cause.__context__
    named = str(err).split(', the current sys.path')[0]
    if not named.startswith('Failed to import custom modules') or cause is None or \
            repr(cause.name) not in named:  # a module it names failed on its own import
        return None
    return (f'custom_imports: {cause} (a module the config names in custom_imports.imports; '
            'is it installed or on PYTHONPATH?)')


def report_bug() -> None:
    """Print the exception being handled with its traceback, then the bug line; exit 1."""
    import traceback
    traceback.print_exc()
    print(f'bug: {BUG_LINE}', file=sys.stderr)
    sys.stderr.flush()
    sys.exit(1)
