"""tools/analysis_tools/benchmark_data.py on a full-scale recipe's pipeline (its ImageNet is
not here: ImageNet-like JPEGs are made) against the Pillow pipeline, and on a config's own
dataset."""
import json

import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.slow

TOOL = 'tools/analysis_tools/benchmark_data.py'
MAE_IN1K = 'configs/mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py'
PILLOW = 'configs/_base_/datasets/imagenet_bs512_mim_pillow.py'


def test_the_recipes_pipeline_on_made_jpegs_against_the_pillow_pipeline(tmp_path):
    out = str(tmp_path / 'data.json')
    proc = run_tool([TOOL, MAE_IN1K, '--vs', PILLOW, '--num-images', '8', '--workers', '1',
                     '--batch-size', '4', '--rounds', '2', '--step-img-s', '1000', '--out', out])
    report = json.load(open(out))
    assert report['source'].startswith('8 JPEGs made from the embedded photos')
    assert report['num_files'] == 8 and report['workers'] == 1
    assert sorted(report['decode']) == sorted([
        'OpenCV', 'Pillow', 'torchvision decode_image', 'TorchCodec decode_image',
        'torchvision decode_jpeg, one batched call', 'TorchCodec decode_jpegs, one batched call'])
    assert len(report['rounds']) == 2 and all(len(r) == 2 for r in report['rounds'])
    median = sum(r[0] for r in report['rounds']) / 2  # statistics.median of two rounds
    assert report['pipeline_per_core'] == pytest.approx(median)
    assert report['loader'] > 0 and report['vs_loader'] > 0
    assert report['ratio'] == pytest.approx(report['pipeline_per_core'] /
                                            report['vs_pipeline_per_core'])
    assert report['cores_per_gpu'] == pytest.approx(1000 / report['pipeline_per_core'])
    for name in ('mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py', 'imagenet_bs512_mim_pillow.py'):
        assert f'| {name} | train pipeline, 1 process (median) |' in proc.stdout
        assert f'| {name} | dataloader, 1 workers, batch 4 (collated) |' in proc.stdout
    assert 'ratio per core (CONFIG / reference):' in proc.stdout
    assert 'cores per GPU at 1000 images/s:' in proc.stdout


def test_the_configs_own_dataset_and_bad_arguments(tmp_path):
    photos = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
    proc = run_tool([TOOL, photos, '--num-images', '4', '--workers', '0', '--batch-size', '2',
                     '--cfg-options', 'train_dataloader.dataset.crops_per_photo=1'])
    assert "the config's SkimagePhotos; 4 files" in proc.stdout
    bad = run_tool([TOOL, photos, '--images', 'imagenet'], check=False)
    assert bad.returncode == 2 and 'Traceback' not in bad.stderr
    assert "--images='imagenet' is invalid: expected one of ('auto', 'config', 'made')" \
        in bad.stderr
    bad = run_tool([TOOL, photos, '--workers', '-1'], check=False)
    assert bad.returncode == 2 and "--workers=-1 is invalid: expected an integer >= 0" \
        in bad.stderr
