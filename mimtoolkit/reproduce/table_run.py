"""Run a table's steps in order, each in its own work dir, resumable; collect their numbers."""
import json
import os
import os.path as osp
import subprocess
import sys
import time
import traceback
from typing import Callable, Dict, List, Optional

from .table import Step, Table


class StepFailed(Exception):
    """A step's run failed; ``str()`` is the line to show, with its log.

    Args:
        step (Step): The step.
        stage (str): What failed (``'training'``, ``'testing'``...).
        how (str): How: ``'failed with exit code 2'``...
        log (str): The log to read.
    """

    def __init__(self, step: Step, stage: str, how: str, log: str) -> None:
        super().__init__(f'step {step.name!r} ({stage} of {step.config}) {how}; its log: {log}')


def fork_call(fn: Callable[[], int], log: str) -> int:
    """Run ``fn`` in a fork of this process (output to ``log``, appended); its return code,
    1 with the traceback in ``log`` where it raises."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            code = fn()
        except BaseException:  # noqa: B902  (reported in the log, as the interpreter would)
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


class TableRun:
    """The steps of one table in ``work_dir/<step>/``.

    A step is done when ``result.json`` is in its folder: a second run reads it and runs
    nothing. A step that was stopped resumes from its last checkpoint (``--resume``).

    Args:
        table (Table): What to run.
        work_dir (str): Its folder.
        repo (str): The repository (tools/ and configs/).
        smoke (bool): Shrink every step (:mod:`mimtoolkit.reproduce.smoke`).
        gpus (int): 0: this CPU, each step in a fork of this process (which must not have
            run a torch op: a fork inherits no thread pools); 1: ``python tools/train.py``;
            more: ``tools/dist_train.sh`` / ``dist_test.sh`` with that many processes.
        log (callable): Where progress lines go.
    """

    def __init__(self, table: Table, work_dir: str, repo: str, smoke: bool = False,
                 gpus: int = 0, log: Callable[[str], None] = print) -> None:
        self.table, self.work_dir, self.repo = table, osp.abspath(work_dir), repo
        self.smoke, self.gpus, self.log = smoke, gpus, log

    def folder(self, step: Step) -> str:
        """str: The step's work dir."""
        return osp.join(self.work_dir, step.name)

    def result(self, step: Step) -> Optional[dict]:
        """The finished step's record (checkpoint, metrics, seconds), or None."""
        path = osp.join(self.folder(step), 'result.json')
        return json.load(open(path)) if osp.isfile(path) else None

    def run(self) -> Dict[str, dict]:
        """Run every step not done yet, in order; their records by step name.

        Raises:
            StepFailed: A step's train or test run failed (later steps are not run).
        """
        results = {}
        for i, step in enumerate(self.table.steps, 1):
            done = self.result(step)
            if done is None:
                self.log(f'[{i}/{len(self.table.steps)}] {step.name}: {step.config}')
                done = self.run_step(step, results)
            else:
                self.log(f'[{i}/{len(self.table.steps)}] {step.name}: done before '
                         f'({osp.join(self.folder(step), "result.json")})')
            results[step.name] = done
        return results

    # -- one step ---------------------------------------------------------
    def options(self, step: Step, results: Dict[str, dict]) -> List[str]:
        """The step's ``--cfg-options``: its checkpoints from earlier steps, then its own."""
        wired = [f'{key}={results[source]["checkpoint"]}' for key, source in step.checkpoints]
        return wired + list(step.options)

    def write_smoke_config(self, step: Step, options: List[str], keep: List[str],
                           path: str) -> None:
        """Write the smoke config of ``step`` to ``path`` (with ``options`` merged, the
        checkpoints in ``keep`` left as they are)."""
        from argparse import Namespace

        from mmengine.config import Config, DictAction
        from .smoke import make_smoke_images, shrink_config
        cfg = Config.fromfile(osp.join(self.repo, step.config))
        if options:
            parsed = Namespace()  # options parsed as --cfg-options parses them
            DictAction(option_strings=[], dest='options')(None, parsed, options)
            cfg.merge_from_dict(parsed.options)
        data = make_smoke_images(osp.join(self.work_dir, 'smoke_images'))
        shrink_config(cfg, data, osp.join(self.work_dir, 'stand_ins'), keep)
        cfg.dump(path)

    def run_step(self, step: Step, results: Dict[str, dict]) -> dict:
        """Train (resuming where a checkpoint is), test where the step gives a number."""
        folder, start = self.folder(step), time.time()
        os.makedirs(folder, exist_ok=True)
        wired = options = self.options(step, results)
        config = osp.join(self.repo, step.config)
        if self.smoke:
            keep = [results[source]['checkpoint'] for _, source in step.checkpoints]
            log = osp.join(folder, 'prepare.log')
            config = osp.join(folder, 'smoke_config.py')
            if self.gpus == 0:  # torch ops (stand-in weights) in a fork, not in this process
                code = fork_call(
                    lambda: self.write_smoke_config(step, options, keep, config) or 0, log)
                if code:
                    raise StepFailed(step, 'the smoke config', f'failed with exit code {code}',
                                     log)
            else:
                self.write_smoke_config(step, options, keep, config)
            options = []
        if step.joins:  # an ensemble: the members' checkpoints joined, nothing trained
            checkpoint = osp.join(folder, 'ensemble.pth')
            members = [results[source]['checkpoint'] for source in step.joins]
            self.launch(step, 'joining', ['tools/model_converters/ensemble_checkpoint.py',
                                          *members, '--out', checkpoint],
                        osp.join(folder, 'join.log'), distributed=False)
        else:
            resume = ['--resume'] if osp.isfile(osp.join(folder, 'last_checkpoint')) else []
            train = ['tools/train.py', config, '--work-dir', folder, *resume]
            self.launch(step, 'training',
                        train + (['--cfg-options', *options] if options else []),
                        osp.join(folder, 'train.log'))
            checkpoint = open(osp.join(folder, 'last_checkpoint')).read().strip()
        metrics = {}
        if step.metric:
            out = osp.join(folder, 'metrics.json')
            test = ['tools/test.py', config, checkpoint, '--work-dir', osp.join(folder, 'test'),
                    '--out', out]
            self.launch(step, 'testing', test + (['--cfg-options', *options] if options else []),
                        osp.join(folder, 'test.log'))
            metrics = json.load(open(out))
            if step.metric not in metrics:  # e.g. a detector that detected nothing at all
                raise StepFailed(step, 'testing', f'gave no {step.metric!r} (its metrics: '
                                 f'{sorted(metrics)})', osp.join(folder, 'test.log'))
        record = dict(config=step.config, options=wired, checkpoint=checkpoint,
                      metrics=metrics, smoke=self.smoke, seconds=round(time.time() - start, 1))
        with open(osp.join(folder, 'result.json.tmp'), 'w') as f:
            json.dump(record, f, indent=1)
        os.replace(osp.join(folder, 'result.json.tmp'), osp.join(folder, 'result.json'))
        return record

    def launch(self, step: Step, stage: str, argv: List[str], log: str,
               distributed: bool = True) -> None:
        """Run one tool: in a fork (CPU), a Python, or (``distributed`` and several GPUs)
        torchrun."""
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(p for p in (self.repo, env.get('PYTHONPATH')) if p)
        if self.gpus == 0:
            from mimtoolkit.utils.run_script import run_script
            env['CUDA_VISIBLE_DEVICES'] = ''
            code = fork_call(lambda: run_script(argv, self.repo, env, log), log)
        else:
            if self.gpus > 1 and distributed:
                # dist_train.sh CONFIG NPROC ..., dist_test.sh CONFIG CHECKPOINT NPROC ...
                tool, positional = {'tools/train.py': ('tools/dist_train.sh', 2),
                                    'tools/test.py': ('tools/dist_test.sh', 3)}[argv[0]]
                cmd = ['bash', tool, *argv[1:positional], str(self.gpus), *argv[positional:]]
            else:
                cmd = [sys.executable, *argv]
            with open(log, 'w') as f:
                code = subprocess.call(cmd, cwd=self.repo, env=env, stdout=f,
                                       stderr=subprocess.STDOUT)
        if code != 0:
            raise StepFailed(step, stage, f'failed with exit code {code}', log)
