"""The file NiceGUI runs: `atelier serve` and the `user` tests start the app through it."""

from atelier.config import Config
from atelier.web import build, run

config = Config.from_env()
started = build(config)

if __name__ in {"__main__", "__mp_main__"}:
    run(config, started)
