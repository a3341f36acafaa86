"""Reading what a training run left in its work dir."""
import glob
import json
import os.path as osp
from typing import List


def scalars(work_dir: str) -> List[dict]:
    """Per-iteration log records (mmengine's vis_data/scalars.json) of all runs in work_dir."""
    records = []
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            records += [json.loads(line) for line in f if line.strip()]
    return [r for r in records if 'loss' in r]


def loss_went_down(records: List[dict], key: str, window: int = 5) -> bool:
    """Mean of the last ``window`` logged losses below the mean of the first ``window``."""
    values = [r[key] for r in records]
    assert len(values) >= 2 * window, f'only {len(values)} {key} records'
    return sum(values[-window:]) / window < sum(values[:window]) / window
