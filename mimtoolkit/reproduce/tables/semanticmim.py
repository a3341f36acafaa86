"""SemanticMIM's Tab. 1: the ImageNet-1K linear probe (Tab. 5's protocol), [CLS] and patch."""
from ..table import Cell, Table, evaluate, pretrain

PRE = 'configs/semanticmim/'
LINEAR = 'configs/semanticmim/benchmarks/vit-base-p16_8xb128-linear-coslr-100e_in1k_layer7-'

#: (row, step name, pretraining config, with proxies, Tab. 1's linear CLS and Patch top-1)
ROWS = (('BEiT', 'beit', 'baseline-beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py', False,
         31.5, 38.7),
        ('BEiT + Ours', 'beit-ours', 'semanticmim-beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py',
         True, 49.2, 48.2),
        ('MaskFeat', 'maskfeat', 'baseline-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k.py',
         False, 23.4, 33.5),
        ('MaskFeat + Ours', 'maskfeat-ours',
         'semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k.py', True, 52.0, 59.7))


def probes(name: str, proxies: bool):
    """The [CLS] ([PROXY] with proxies) and patch-average probes of ``name``'s checkpoint
    (BEiT-based ones with BEiT's layer scale)."""
    cls, avg = ('proxy', 'avg') if proxies else ('cls_baseline', 'avg_baseline')
    suffix = '-beit' if name.startswith('beit') else ''
    return (evaluate(f'{name}-linear-cls', f'{LINEAR}{cls}{suffix}.py', name),
            evaluate(f'{name}-linear-patch', f'{LINEAR}{avg}{suffix}.py', name))


TAB1_LINEAR = Table(
    name='semanticmim-tab1-linear',
    title='SemanticMIM on ImageNet-1K: linear probe of the 7th layer (Tab. 5), top-1 %',
    source='SemanticMIM, Tab. 1, ImageNet-1K Linear columns (protocol: Tab. 5)',
    columns=('Linear, CLS', 'Linear, Patch'),
    rows=tuple((label, (Cell(f'{name}-linear-cls', cls), Cell(f'{name}-linear-patch', patch)))
               for label, name, _, _, cls, patch in ROWS),
    steps=tuple(step for _, name, config, proxies, _, _ in ROWS
                for step in (pretrain(name, PRE + config), *probes(name, proxies))),
    notes=('CLS with proxies: the mean of the 8 [PROXY] tokens, as the official code reads it.',
           'Tab. 1\'s fine-tuning, PascalVOC and ADE20K columns are not part of this command.'))

TABLES = (TAB1_LINEAR, )
