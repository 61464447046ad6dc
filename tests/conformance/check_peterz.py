#!/usr/bin/env python3
"""C-peterz (seed 001) must print herd7's output as quoted in the patch, Time line aside."""
import subprocess, sys

want = """Test C-peterz Allowed
States 7
0:r1=0; 2:r1=0; 2:r2=0;
0:r1=0; 2:r1=0; 2:r2=1;
0:r1=0; 2:r1=1; 2:r2=1;
0:r1=1; 2:r1=0; 2:r2=0;
0:r1=1; 2:r1=0; 2:r2=1;
0:r1=1; 2:r1=1; 2:r2=0;
0:r1=1; 2:r1=1; 2:r2=1;
No
Witnesses
Positive: 0 Negative: 7
Condition exists (0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)
Observation C-peterz Never 0 7
Hash=e427f41d9146b2a5445101d3e2fcaa34
"""
p = subprocess.run([sys.argv[1], sys.argv[2]], capture_output=True, text=True)
got = ''.join(l + '\n' for l in p.stdout.splitlines() if l and not l.startswith('Time '))
if got != want or p.returncode != 0:
    print('paddock printed:\n' + p.stdout + p.stderr)
    sys.exit(1)
print('C-peterz: herd7 output reproduced')
