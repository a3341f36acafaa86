"""print_recipe.py: what a config trains, from its built objects, as a user runs it."""
from ..conftest import run_tool


def test_prints_the_fields_read_from_the_built_config():
    proc = run_tool(['tools/analysis_tools/print_recipe.py',
                     'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                     '--fields', 'gpus x batch', 'mix ratio', 'K', 'decay exempt', 'proxies',
                     'layer decay', 'loss resolution',
                     '--cfg-options', 'model.mixer.type=PatchMixer', 'model.mixer.mix_ratio=0.5'])
    rows = {line[:20].strip(): line[20:].strip() for line in proc.stdout.splitlines()
            if line[:20].strip()}
    assert rows['gpus x batch'] == '(1, 16)'
    assert rows['mix ratio'] == '0.5' and rows['K'] == '0.5'  # K follows r unless set
    assert rows['decay exempt'] == "['bias', 'norm', 'token']"  # segment embeddings too
    assert rows['proxies'] == '0' and rows['loss resolution'] == '-'  # does not apply
    assert rows['layer decay'] == '1.0'
