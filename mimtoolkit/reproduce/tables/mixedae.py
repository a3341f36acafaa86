"""MixedAE's Tab. 1 (Chen et al.): its ImageNet-1K rows, fine-tuned and linearly probed."""
from ..table import Cell, Table, evaluate, pretrain

PRE = 'configs/mixedae/mixedae_vit-base-p16'
FT = 'configs/downstream/classification/vit-base-p16_8xb128-coslr-100e-ft_in1k.py'
LINEAR = 'configs/downstream/classification/vit-base-p16_8xb2048-linear-coslr-90e_in1k.py'

#: (row, step name, pretraining config, Tab. 1's ImageNet-1K fine-tuning top-1)
ROWS = (('MixedAE, 300 ep', 'mixedae-300e', f'{PRE}_8xb512-amp-coslr-300e_in1k.py', 83.1),
        ('MixedAE-Full*, 300 ep', 'mixedae-full-dec2x256-300e',
         f'{PRE}-dec2x256_8xb128-amp-coslr-300e_in1k-full.py', 83.7),
        ('MixedAE-Full, 300 ep', 'mixedae-full-300e',
         f'{PRE}_8xb128-amp-coslr-300e_in1k-full.py', 83.8),
        ('MixedAE, 800 ep', 'mixedae-800e', f'{PRE}_8xb512-amp-coslr-800e_in1k.py', 83.5),
        ('MixedAE, 1600 ep', 'mixedae-1600e', f'{PRE}_8xb512-amp-coslr-1600e_in1k.py', 83.9))

TAB1_IN1K = Table(
    name='mixedae-tab1-in1k',
    title='MixedAE on ImageNet-1K: fine-tuning and linear probing, top-1 %',
    source='MixedAE (Chen et al.), Tab. 1, ImageNet-1K column (MixedAE rows)',
    columns=('fine-tune', 'linear'),
    rows=tuple((label, (Cell(f'{name}-ft', acc), Cell(f'{name}-linear', None)))
               for label, name, _, acc in ROWS),
    steps=tuple(step for _, name, config, _ in ROWS for step in (
        pretrain(name, config),
        evaluate(f'{name}-ft', FT, name),
        evaluate(f'{name}-linear', LINEAR, name))),
    notes=('Fine-tuning and linear probing follow MAE (MixedAE §4.2 and Appendix B): the '
           'toolkit\'s MAE protocols. The paper reports no linear probe: that column has no '
           'paper number.', ))

TABLES = (TAB1_IN1K, )
