import sys

from workers.evaluation import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
