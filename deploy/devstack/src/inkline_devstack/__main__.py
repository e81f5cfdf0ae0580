import sys

from inkline_devstack.launcher import run

if __name__ == "__main__":
    sys.exit(run(sys.argv[2:] if sys.argv[1:2] == ["up"] else sys.argv[1:]))
