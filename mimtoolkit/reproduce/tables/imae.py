"""i-MAE's tables (Zhang & Shen): the CIFAR-10 columns of Tab. 1 (fine-tuning) and Tab. 2
(linear probing)."""
from ..table import Cell, Table, evaluate, pretrain

MAE = 'configs/mae/mae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py'
IMAE = 'configs/imae/imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py'
BENCH = 'configs/imae/benchmarks/vit-tiny-p2_1xb128-'

TAB1_CIFAR10 = Table(
    name='imae-tab1-cifar10',
    title='i-MAE on CIFAR-10: fine-tuning (Tab. 1) and linear probing (Tab. 2), top-1 %',
    source='i-MAE (Zhang & Shen), Tab. 1 and Tab. 2, CIFAR-10 columns',
    columns=('fine-tune (Tab. 1)', 'linear (Tab. 2)'),
    rows=(('from scratch', (Cell('scratch-ft', 74.13), None)),
          ('MAE', (Cell('mae-ft', 90.78), Cell('mae-linear', 72.47))),
          ('i-MAE', (Cell('imae-ft', 92.00), Cell('imae-linear', 77.61)))),
    steps=(pretrain('mae', MAE),
           pretrain('imae', IMAE, teacher='mae'),
           evaluate('scratch-ft', BENCH + 'coslr-100e-scratch_cifar10.py', None),
           evaluate('mae-ft', BENCH + 'coslr-100e-ft_cifar10.py', 'mae'),
           evaluate('imae-ft', BENCH + 'coslr-100e-ft_cifar10.py', 'imae'),
           evaluate('mae-linear', BENCH + 'linear-coslr-200e_cifar10.py', 'mae'),
           evaluate('imae-linear', BENCH + 'linear-coslr-200e_cifar10.py', 'imae')),
    notes=('The MAE row pretrains with i-MAE\'s CIFAR recipe and is also the teacher i-MAE '
           'distils from (i-MAE §3).',
           'From scratch: the fine-tuning recipe from random weights (the paper gives none; '
           'docs/recipes.md).'))

TABLES = (TAB1_CIFAR10, )
