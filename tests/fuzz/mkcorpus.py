#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzers' seed corpus (tests/fuzz/corpus/*) from the
malicious-frontend cases of pciback/tests/dispatch_test.c and the bad-answer
cases of pcifront's transport tests.  Re-run after changing a case; the
files are committed so `make check` replays exactly these."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CONF_READ, CONF_WRITE, EN_MSI, DIS_MSI, EN_MSIX, DIS_MSIX = 0, 1, 2, 3, 4, 5
AER_DETECTED, EN_MULTI = 6, 10


def op(cmd, devfn=0, off=0, size=0, value=0, info=0, entries=(), ctl=0,
       domain=0, bus=0, err=0, vectors=None):
    """One request for fuzz_back_dispatch."""
    b = struct.pack('<BB', ctl, len(entries))
    b += struct.pack('<IiIIIiiII', cmd, err, domain, bus, devfn, off, size,
                     value, info)
    for i, e in enumerate(entries):
        v = vectors[i] if vectors else 0
        b += struct.pack('<HH', v, e)
    return b


def msix(entries, **kw):
    return op(EN_MSIX, value=len(entries), entries=entries, **kw)


BACK = {
    'conf-read': op(CONF_READ, off=0, size=4),
    'conf-read-ext': op(CONF_READ, off=0x100, size=4),
    'conf-bad-size': op(CONF_READ, off=0, size=3),
    'conf-misaligned': op(CONF_READ, off=2, size=4),
    'conf-negative': op(CONF_READ, off=-4, size=4),
    'conf-past-end': op(CONF_READ, off=4094, size=4),
    'conf-huge': op(CONF_WRITE, off=0x7ffffffc, size=4, value=0xffffffff),
    'command-write-attack': op(CONF_WRITE, off=4, size=2, value=0xffff),
    'command-mem-off': op(CONF_WRITE, off=4, size=2, value=0x0004),
    'msi-cap-write': op(CONF_WRITE, off=0x52, size=2, value=0x0001),
    'msix-cap-write': op(CONF_WRITE, off=0xa2, size=2, value=0xc000),
    'bar-sizing': op(CONF_WRITE, off=0x10, size=4, value=0xffffffff) +
                  op(CONF_READ, off=0x10, size=4),
    'enable-msi-twice': op(EN_MSI) + op(EN_MSI),
    'msix-while-msi': op(EN_MSI) + msix([0, 1]),
    'msi-while-msix': msix([0, 1, 2]) + op(EN_MSI),
    'disable-nothing': op(DIS_MSI) + op(DIS_MSIX),
    'disable-msi-turns-msix-off': msix([0, 1, 2]) + op(DIS_MSI) + msix([0]),
    'disable-msix-turns-msi-off': op(EN_MSI) + op(DIS_MSIX) + op(EN_MSI),
    'multi-msi-4': op(EN_MULTI, value=4, info=4),
    'multi-msi-3': op(EN_MULTI, value=3, info=3),
    'multi-msi-0': op(EN_MULTI, value=0),
    'multi-msi-64': op(EN_MULTI, value=64, info=64),
    'multi-msi-huge': op(EN_MULTI, value=0xffffffff),
    'msix-zero': op(EN_MSIX, value=0),
    'msix-129': op(EN_MSIX, value=129, entries=list(range(128))),
    'msix-huge-count': op(EN_MSIX, value=0xffffffff, entries=[0]),
    'msix-count-exceeds-entries': op(EN_MSIX, value=100, entries=[0, 1]),
    'msix-entry-out-of-table': msix([0, 16]),
    'msix-entry-max': msix([0xffff]),
    'msix-entry-twice': msix([1, 2, 1]),
    'msix-all-16': msix(list(range(16))),
    'msix-17': msix(list(range(17))),
    'msix-decoding-off': msix([0], ctl=3),
    'msix-garbage-vectors': msix([0, 1], vectors=[0xffff, 0x8000]),
    'not-exported-devfn': op(CONF_READ, devfn=8, size=4),
    'not-exported-bus': op(EN_MSI, bus=1),
    'not-exported-domain': op(EN_MSIX, domain=0x10000, value=1,
                              entries=[0]),
    'devfn-huge': op(EN_MSI, devfn=0xffffffff),
    'unknown-command': op(0xdeadbeef),
    'aer-command': op(AER_DETECTED) + op(7) + op(8) + op(9),
    'err-preset': op(CONF_READ, size=4, err=-1),
    'stale-incarnation': msix([0, 1, 2]) + msix([0], ctl=2),
    'death-then-disable': op(EN_MSI) + op(DIS_MSI, ctl=2),
    'reenable-after-reincarnation': msix([0, 1, 2]) +
                                    msix([0, 1, 2], ctl=2),
    'nvme-1-then-n': msix([0]) + op(DIS_MSIX) + msix([0, 1, 2]),
    'budget-exhaustion': b''.join(msix(list(range(16))) + op(DIS_MSIX)
                                  for _ in range(4)) +
                         b''.join(op(EN_MULTI, value=8) for _ in range(8)),
}


def req(which, timing=0, sel=0, mask=0, err=0, value=0, info=0,
        vectors=()):
    """One request for fuzz_front_answer."""
    b = struct.pack('<BB', which | timing << 3 | sel << 5, mask)
    b += struct.pack('<iII', err, value, info)
    for v, e in vectors:
        b += struct.pack('<HH', v, e)
    return b


RD, WR, MSI, MULTI, MSIX, DIS = 0, 1, 2, 3, 4, 6
M_CMD, M_ADDR, M_OFFSZ, M_ERR, M_VAL, M_INFO, M_VEC, M_ENT = \
    1, 2, 4, 8, 16, 32, 64, 128

FRONT = {
    'read-ok': req(RD, sel=2, mask=M_VAL, value=0x12345678),
    'read-too-wide': req(RD, sel=0, mask=M_VAL, value=0x1ff),
    'read-err-dev-not-found': req(RD, mask=M_ERR, err=-1),
    'read-err-garbage': req(RD, mask=M_ERR, err=12345),
    'read-err-errno': req(RD, mask=M_ERR, err=-22),
    'read-err-huge-negative': req(RD, mask=M_ERR, err=-100000),
    'answer-rewrites-cmd': req(RD, mask=M_CMD),
    'answer-rewrites-device': req(WR, mask=M_ADDR),
    'answer-rewrites-size': req(RD, mask=M_OFFSZ),
    'msi-ok': req(MSI, mask=M_VAL, value=55),
    'msi-pirq-zero': req(MSI, mask=M_VAL, value=0),
    'msi-pirq-negative': req(MSI, mask=M_VAL, value=0xfffffff0),
    'msi-ealready': req(MSI, mask=M_ERR, err=-114),
    'multi-ok': req(MULTI, sel=2, mask=M_VAL, value=60),
    'multi-only-2': req(MULTI, sel=3, mask=M_ERR | M_INFO, err=-28, info=2),
    'multi-info-too-big': req(MULTI, sel=1, mask=M_ERR | M_INFO, err=-28,
                              info=99),
    'msix-ok': req(MSIX, sel=0, mask=M_VEC, vectors=[(40, 0)]),
    'msix-10-ok': req(MSIX, sel=1, mask=M_VEC,
                      vectors=[(40 + i, 0) for i in range(10)]),
    'msix-duplicate-pirq': req(MSIX, sel=1, mask=M_VEC,
                               vectors=[(40, 0)] * 10),
    'msix-pirq-zero': req(MSIX, sel=1, mask=M_VEC,
                          vectors=[(0, 0)] * 10),
    'msix-entry-rewritten': req(MSIX, sel=1, mask=M_VEC | M_ENT,
                                vectors=[(40 + i, 99) for i in range(10)]),
    'msix-partial-old-backend': req(MSIX, sel=1, mask=M_VAL, value=4),
    'msix-more-than-asked': req(MSIX, sel=0, mask=M_VAL, value=200),
    'msix-enospc': req(MSIX, sel=2, mask=M_ERR, err=-28),
    'disable-ok': req(DIS),
    'disable-op-failed': req(DIS, sel=1, mask=M_ERR, err=-5),
    'timeout-then-busy': req(RD, timing=2) + req(RD),
    'late-answer': req(MSIX, sel=1, timing=3) + req(RD, sel=2),
    'enable-then-disable': req(MSIX, sel=0, mask=M_VEC,
                               vectors=[(41, 0)]) + req(DIS, sel=1),
}


def write(name, cases):
    d = os.path.join(HERE, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        os.unlink(os.path.join(d, old))
    for case, data in sorted(cases.items()):
        with open(os.path.join(d, case), 'wb') as f:
            f.write(data)
    print(f'{name}: {len(cases)} seeds')


if __name__ == '__main__':
    write('back_dispatch', BACK)
    write('front_answer', FRONT)
    sys.exit(0)
