"""A paper's table as data: the steps that produce it and where each number comes from."""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

#: The config key a pretraining checkpoint goes to in every downstream config we ship.
INIT = 'model.backbone.init_cfg.checkpoint'


@dataclass(frozen=True)
class Step:
    """One run of ``tools/train.py`` (and, for a number, ``tools/test.py``) in its own work dir.

    Args:
        name (str): The step's work-dir name, unique in its table.
        config (str): The shipped config, relative to the repository.
        checkpoints (tuple): ``(config key, step name)`` pairs: the key is set to that earlier
            step's final checkpoint (a teacher, ``model.backbone.init_cfg.checkpoint``...).
        options (tuple[str]): Fixed ``--cfg-options`` of this step (``key=value``).
        metric (str, optional): The test metric this step gives the table (e.g.
            ``'accuracy/top1'``): ``tools/test.py`` runs on its final checkpoint. None for a
            step that only produces a checkpoint.
        joins (tuple[str]): An ensemble step: no training; these steps' checkpoints are
            joined (``tools/model_converters/ensemble_checkpoint.py``) into the checkpoint of
            ``config``, a ``ClassifierEnsemble``, which is tested.
        scale (float): Multiplies every metric of the step for the table (100 for COCO's
            mAP, a fraction, where papers print percent).
    """
    name: str
    config: str
    checkpoints: Tuple[Tuple[str, str], ...] = ()
    options: Tuple[str, ...] = ()
    metric: Optional[str] = None
    joins: Tuple[str, ...] = ()
    scale: float = 1.0

    @property
    def needs(self) -> Tuple[str, ...]:
        """tuple[str]: The steps whose checkpoints this one reads."""
        return tuple(step for _, step in self.checkpoints) + self.joins


@dataclass(frozen=True)
class Cell:
    """One number of a table: the step that reproduces it, the paper's value, and the step's
    metric it reads (None: the step's own ``metric``)."""
    step: str
    paper: Optional[float]
    metric: Optional[str] = None


@dataclass(frozen=True)
class Table:
    """A paper table we ship.

    Args:
        name (str): Its command-line name (``imae-tab1-cifar10``).
        title (str): What it shows.
        source (str): Paper, table and the part of it reproduced.
        columns (tuple[str]): Column headings.
        rows (tuple): ``(row label, (Cell or None per column))``; None: the paper's table
            has no number there.
        steps (tuple[Step]): Every step, each after the steps it needs.
        notes (tuple[str]): Lines printed under the table (what is left out, and why).
    """
    name: str
    title: str
    source: str
    columns: Tuple[str, ...]
    rows: Tuple[Tuple[str, Tuple[Optional[Cell], ...]], ...]
    steps: Tuple[Step, ...]
    notes: Tuple[str, ...] = ()

    def __post_init__(self) -> None:
        seen: Dict[str, Step] = {}
        for step in self.steps:
            assert step.name not in seen, f'{self.name}: step {step.name!r} twice'
            missing = [s for s in step.needs if s not in seen]
            assert not missing, f'{self.name}: {step.name!r} needs {missing} first'
            seen[step.name] = step
        for label, cells in self.rows:
            assert len(cells) == len(self.columns), f'{self.name}: row {label!r}'
            for cell in cells:
                assert cell is None or seen.get(cell.step) and seen[cell.step].metric, \
                    f'{self.name}: row {label!r} reads {cell.step!r}, which gives no number'

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        return next(s for s in self.steps if s.name == name)

    def value(self, cell: Cell, results: Dict[str, dict]) -> float:
        """The reproduced number of ``cell`` from the steps' records."""
        step = self.step(cell.step)
        return results[cell.step]['metrics'][cell.metric or step.metric] * step.scale


def pretrain(name: str, config: str, teacher: Optional[str] = None,
             teacher_key: str = 'model.distill_head.teacher.checkpoint') -> Step:
    """A pretraining step; ``teacher`` names the step whose checkpoint is its frozen teacher."""
    return Step(name, config, ((teacher_key, teacher), ) if teacher else ())


def evaluate(name: str, config: str, pretrained: Optional[str],
             metric: str = 'accuracy/top1', scale: float = 1.0) -> Step:
    """A fine-tune / probe / transfer step from ``pretrained``'s checkpoint (None: from
    scratch), giving ``metric`` (times ``scale``)."""
    return Step(name, config, ((INIT, pretrained), ) if pretrained else (), metric=metric,
                scale=scale)
