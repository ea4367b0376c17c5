"""The `atelier` command: demo, serve, secret, bench."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atelier.config import Config, default_db_path
from atelier.scenario import DEMO_TERRITORY, ScenarioError


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path,
                        help="fichier SQLite (par défaut dans le dossier de données de l’utilisateur)")
    parser.add_argument("--host", default="0.0.0.0", help="adresse d’écoute (0.0.0.0 : tout le réseau local)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--public-url",
                        help="adresse publique vers laquelle pointe le QR code (sinon l’adresse locale)")
    parser.add_argument("--scenario", type=Path, default=DEMO_TERRITORY, help="fichier du territoire (TOML)")


def _config(args: argparse.Namespace, demo: bool) -> Config:
    return Config(db_path=args.db or default_db_path(demo), host=args.host, port=args.port,
                  public_url=args.public_url, scenario=args.scenario, demo=demo)


def _serve(config: Config) -> int:
    from atelier.qr import qr_terminal
    from atelier.web import build, run

    try:
        started = build(config)
    except ScenarioError as e:
        print(f"Erreur de scénario : {e}", file=sys.stderr)
        return 2
    service = started.service
    secret = started.new_facilitator_secret
    if config.demo and not secret:
        secret = service.reset_facilitator_secret()  # the demo is a sandbox: always print a working link
    print(f"atelier — base : {config.db_path}")
    print(f"Console d’animation : {started.base_url}/animation")
    if secret:
        print(f"Code d’animation (affiché une seule fois, notez-le) : {secret}")
        print(f"Lien de connexion : {started.base_url}/connexion?jeton={secret}")
    else:
        print("Code d’animation : déjà créé (perdu ? `atelier secret --reset --db ...`).")
    for workshop in service.workshops()[:3]:
        join = f"{started.base_url}/j/{workshop.code}"
        print(f"\n« {workshop.title} » — code {workshop.code}")
        print(f"  Tableau à projeter : {started.base_url}/tableau/{workshop.code}")
        print(f"  Téléphones : {join}")
        print(qr_terminal(join))
    sys.stdout.flush()
    run(config, started)
    return 0


def _secret(args: argparse.Namespace) -> int:
    from atelier.service import Service
    from atelier.store import Store

    service = Service(Store(args.db or default_db_path(args.demo)))
    if args.reset:
        print(f"Nouveau code d’animation : {service.reset_facilitator_secret()}")
    else:
        secret = service.ensure_facilitator_secret()
        print(f"Code d’animation : {secret}" if secret else "Un code existe déjà ; --reset pour en créer un autre.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atelier", description="Ateliers d’écologie économique territoriale")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="démarre sur le territoire de démonstration")
    _server_options(demo)
    serve = commands.add_parser("serve", help="démarre un atelier réel")
    _server_options(serve)
    secret = commands.add_parser("secret", help="code d’animation (--reset pour en créer un nouveau)")
    secret.add_argument("--db", type=Path)
    secret.add_argument("--demo", action="store_true", help="la base de la démonstration")
    secret.add_argument("--reset", action="store_true")
    bench = commands.add_parser("bench", help="mesure la tenue en charge avec des téléphones simulés")
    bench.add_argument("--phones", type=int, default=100)
    bench.add_argument("--spread", type=float, default=30.0, help="secondes sur lesquelles étaler les idées")
    bench.add_argument("--url", help="viser un serveur déjà lancé (sinon un serveur temporaire est démarré)")
    bench.add_argument("--code", help="code de l’atelier visé avec --url")
    args = parser.parse_args(argv)

    if args.command in ("demo", "serve"):
        return _serve(_config(args, demo=args.command == "demo"))
    if args.command == "secret":
        return _secret(args)
    if args.command == "bench":
        from atelier.bench import main as bench_main

        return bench_main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
