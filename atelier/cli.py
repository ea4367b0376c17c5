"""The `atelier` command: demo, serve, init, secret, export, import, backup, bench."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from atelier.bench import DEFAULT_ACTIONS, DEFAULT_THINK
from atelier.config import Config, default_db_path
from atelier.i18n import t
from atelier.scenario import DEMO_TERRITORY, ScenarioError


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path,
                        help="fichier SQLite (par défaut dans le dossier de données de l’utilisateur)")
    parser.add_argument("--host", default="0.0.0.0", help="adresse d’écoute (0.0.0.0 : tout le réseau local)")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--public-url",
                        help="adresse publique vers laquelle pointe le QR code (sinon l’adresse locale)")
    parser.add_argument("--scenario", type=Path,
                        help="dossier du territoire (créé par `atelier init`) ou fichier du territoire (TOML)")


def _config(args: argparse.Namespace, demo: bool) -> Config:
    scenario = getattr(args, "territoire", None) or args.scenario or DEMO_TERRITORY
    return Config(db_path=args.db or default_db_path(demo), host=args.host, port=args.port,
                  public_url=args.public_url, scenario=scenario, demo=demo)


def _init(args: argparse.Namespace) -> int:
    from atelier.scaffold import init_territory

    try:
        territory_file = init_territory(args.dossier, name=args.nom, key=args.cle)
    except (ScenarioError, OSError) as e:
        print(f"Erreur : {e}", file=sys.stderr)
        return 2
    print(f"Territoire créé dans {args.dossier}")
    print(f"  1. Complétez {territory_file} (le nom, puis les acteurs) avec un éditeur de texte.")
    print(f"  2. Lancez : atelier serve {args.dossier} --db {args.dossier / 'atelier.sqlite'}")
    return 0


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


def _export(args: argparse.Namespace) -> int:
    from atelier.exports.formats import render
    from atelier.exports.plan import build_plan
    from atelier.rules import Refused
    from atelier.service import Service
    from atelier.store import Store

    service = Service(Store(args.db or default_db_path(args.demo)))
    try:
        if args.format == "json":
            territories = {t["key"]: t["id"] for t in service.territories()}
            if args.territoire not in territories:
                print(f"Territoire inconnu : {args.territoire}. Connus : {', '.join(territories) or 'aucun'}",
                      file=sys.stderr)
                return 2
            content, name = service.export_territory(territories[args.territoire]), f"{args.territoire}.json"
        else:
            if not args.atelier:
                print("Indiquez le code de l’atelier : --atelier CODE", file=sys.stderr)
                return 2
            workshop = service.workshop_by_code(args.atelier)
            content, name = render(build_plan(service, workshop.id), args.format)
    except Refused as refusal:
        print(t(refusal.key, **refusal.params), file=sys.stderr)
        return 2
    output = args.output or Path(name)
    output.write_bytes(content)
    print(f"Écrit : {output} ({len(content)} octets)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from atelier.exports.backup import MAX_BACKUP_BYTES
    from atelier.rules import Refused
    from atelier.service import Service
    from atelier.store import Store

    try:
        if args.file.stat().st_size > MAX_BACKUP_BYTES:  # refused before it is read into memory
            print(f"Le fichier {args.file} pèse plus de {MAX_BACKUP_BYTES // 1_000_000} Mo : ce n’est pas une "
                  "sauvegarde de territoire d’atelier.", file=sys.stderr)
            return 2
        content = args.file.read_bytes()
    except OSError as e:
        print(f"Lecture impossible : {e}", file=sys.stderr)
        return 2
    service = Service(Store(args.db or default_db_path(False)))
    try:
        territory_id = service.import_territory(content, copy=args.copie)
    except Refused as refusal:
        print(t(refusal.key, **refusal.params), file=sys.stderr)
        return 2
    print(f"Territoire importé : {service.territory(territory_id)['name']}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from atelier.store.files import online_copy

    source = args.db or default_db_path(args.demo)
    report = online_copy(source, args.output)
    print(f"Copie écrite et vérifiée : {report.target} ({report.size / 1_000_000:.1f} Mo, "
          f"{report.territories} territoire(s), {report.ideas} idée(s)).")
    print("Pour la restaurer : arrêtez atelier, puis remplacez la base par cette copie (voir le README).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Runs one command; a database that is there but unusable is said in French, never as a traceback."""
    from atelier.store.files import DatabaseUnusable

    try:
        return _main(argv)
    except DatabaseUnusable as e:
        print(str(e), file=sys.stderr)
        return 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atelier", description="Ateliers d’écologie économique territoriale")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="démarre sur le territoire de démonstration")
    _server_options(demo)
    serve = commands.add_parser("serve", help="démarre un atelier réel")
    serve.add_argument("territoire", nargs="?", type=Path,
                       help="dossier du territoire créé par `atelier init` (ou --scenario)")
    _server_options(serve)
    init = commands.add_parser("init", help="crée le dossier d’un nouveau territoire, à compléter")
    init.add_argument("dossier", type=Path, help="dossier à créer (il doit être absent ou vide)")
    init.add_argument("--nom", help="nom du territoire (par défaut le nom du dossier)")
    init.add_argument("--cle", help="clé du territoire dans la base (par défaut tirée du nom)")
    secret = commands.add_parser("secret", help="code d’animation (--reset pour en créer un nouveau)")
    secret.add_argument("--db", type=Path)
    secret.add_argument("--demo", action="store_true", help="la base de la démonstration")
    secret.add_argument("--reset", action="store_true")
    export = commands.add_parser("export", help="exporte le plan d’action d’un atelier, ou un territoire entier (json)")
    export.add_argument("--db", type=Path)
    export.add_argument("--demo", action="store_true", help="la base de la démonstration")
    export.add_argument("--format", required=True, choices=["pdf", "xlsx", "ods", "csv", "md", "ics", "decidim",
                                                             "json"])
    export.add_argument("--atelier", help="code de l’atelier (plan d’action)")
    export.add_argument("--territoire", help="clé du territoire (sauvegarde json)")
    export.add_argument("-o", "--output", type=Path)
    restore = commands.add_parser("import", help="restaure un territoire depuis sa sauvegarde json")
    restore.add_argument("file", type=Path)
    restore.add_argument("--db", type=Path)
    restore.add_argument("--copie", action="store_true", help="importer à côté d’un territoire existant, sans mélange")
    backup = commands.add_parser(
        "backup", help="copie cohérente de la base, même pendant un atelier (à restaurer serveur arrêté)",
        description="Copie la base SQLite avec l’API de sauvegarde de SQLite : le serveur peut tourner et écrire "
                    "pendant la copie, qui est l’état de la base à un instant. La copie est vérifiée avant "
                    "de prendre son nom.")
    backup.add_argument("--db", type=Path, help="la base à copier (par défaut celle d’atelier serve)")
    backup.add_argument("--demo", action="store_true", help="la base de la démonstration")
    backup.add_argument("-o", "--output", type=Path, required=True, help="fichier de la copie")
    bench = commands.add_parser(
        "bench", help="mesure la tenue en charge avec des téléphones simulés",
        description="Des téléphones simulés rejoignent un atelier pendant qu’un tableau projeté les suit. "
                    "Par défaut, charge « idées » (atelier 1) : une idée par téléphone étalée sur --spread "
                    "secondes, puis une seconde, tous en même temps. Avec --ratings, charge « notes » (atelier 2) "
                    "à la place : chaque téléphone note chacune des --actions actions candidates, puis tous "
                    "changent leur dernière note en même temps.")
    bench.add_argument("--phones", type=int, default=100)
    bench.add_argument("--spread", type=float, default=30.0,
                       help="secondes sur lesquelles étaler les idées, ou les débuts des votes avec --ratings")
    bench.add_argument("--ratings", action="store_true",
                       help="charge « notes » au lieu de la charge « idées » : un atelier de sélection est préparé "
                            "en phase « Vote » et chaque téléphone note chaque action")
    bench.add_argument("--actions", type=int, default=DEFAULT_ACTIONS,
                       help="avec --ratings : nombre d’actions candidates à noter (sans effet avec --url : "
                            "celles de l’atelier visé)")
    bench.add_argument("--think", type=float, default=DEFAULT_THINK,
                       help="avec --ratings : secondes passées en moyenne sur une action avant d’enregistrer "
                            "(0 : chaque téléphone enchaîne ses notes)")
    bench.add_argument("--peers", action="store_true",
                       help="charge « idées » : chaque téléphone ouvre d’abord les idées des autres (le cas le plus "
                            "lourd des soutiens +1)")
    bench.add_argument("--url", help="viser un serveur déjà lancé (sinon un serveur temporaire est démarré)")
    bench.add_argument("--code", help="code de l’atelier visé avec --url (avec --ratings : en phase « Vote »)")
    return parser


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("demo", "serve"):
        return _serve(_config(args, demo=args.command == "demo"))
    if args.command == "init":
        return _init(args)
    if args.command == "secret":
        return _secret(args)
    if args.command == "export":
        return _export(args)
    if args.command == "import":
        return _import(args)
    if args.command == "backup":
        return _backup(args)
    if args.command == "bench":
        from atelier.bench import main as bench_main

        return bench_main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
