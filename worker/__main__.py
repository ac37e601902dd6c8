"""``python -m worker``: run a worker process."""

from worker.main import main

if __name__ == "__main__":
    main()
