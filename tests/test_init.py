"""`atelier init DIR`: a new, empty territory to fill in, that `atelier serve DIR` then takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from atelier.cli import _config, build_parser, main
from atelier.hub import Hub
from atelier.scenario import DEMO_TERRITORY, ScenarioError, load_scenario
from atelier.service import Service
from atelier.store import Store


def uncomment_sample_actor(territory_file: Path) -> None:
    """What a facilitator does with the sample: remove the '# ' in front of its lines."""
    text = territory_file.read_text(encoding="utf-8")
    head, sample = text.split("# [[acteurs]]\n")
    lines = ["[[acteurs]]", *(line.removeprefix("#").removeprefix(" ") for line in sample.splitlines())]
    territory_file.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


def test_init_writes_an_empty_territory_that_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Val d’Allier"
    assert main(["init", str(folder)]) == 0
    assert "atelier serve" in capsys.readouterr().out
    text = (folder / "territoire.toml").read_text(encoding="utf-8")
    assert 'cle = "val-d-allier"' in text and 'nom = "Val d’Allier"' in text
    assert "# [[acteurs]]" in text  # the sample is there, commented out
    scenario = load_scenario(folder)
    assert scenario.territory.territory.name == "Val d’Allier"
    assert scenario.territory.actors == []
    assert [c.key for c in scenario.categories] == [c.key for c in load_scenario().categories]
    assert sorted(p.name for p in (folder / "ateliers").iterdir()) == sorted(
        p.name for p in (DEMO_TERRITORY.parent.parent / "ateliers").iterdir())


def test_the_sample_actor_loads_once_uncommented(tmp_path: Path) -> None:
    folder = tmp_path / "haute-marche"
    assert main(["init", str(folder), "--nom", "Pays de la Haute-Marche"]) == 0
    uncomment_sample_actor(folder / "territoire.toml")
    actor = load_scenario(folder).territory.actors[0]
    assert actor.name == "Menuiserie Exemple"
    assert actor.interview is not None and actor.interview.capacities[0].category == "matieres-dechets"


def test_the_territory_folder_s_own_categories_and_templates_are_used(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    main(["init", str(folder)])
    categories = folder / "categories.toml"
    categories.write_text(categories.read_text(encoding="utf-8") + '\n[[categories]]\ncle = "bois"\n'
                          'libelle = "Filière bois"\ncouleur = "#8d6e63"\n', encoding="utf-8")
    (folder / "ateliers" / "ffom.toml").unlink()
    scenario = load_scenario(folder)
    assert scenario.categories[-1].label == "Filière bois"
    assert "ffom" not in {t.info.key for t in scenario.templates}


def test_init_never_writes_over_an_existing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "occupe"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    assert main(["init", str(folder)]) == 2
    assert "n’est pas un dossier vide : rien n’a été écrit" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert main(["init", str(tmp_path / "x"), "--cle", "Pas Bon"]) == 2
    assert "Clé de territoire invalide" in capsys.readouterr().err


def test_serve_takes_the_folder_and_installs_its_territory(tmp_path: Path) -> None:
    folder = tmp_path / "val"
    main(["init", str(folder), "--nom", "Val"])
    uncomment_sample_actor(folder / "territoire.toml")
    for argv in (["serve", str(folder)], ["serve", "--scenario", str(folder)]):
        config = _config(build_parser().parse_args(argv), demo=False)  # `atelier serve`, not started
        assert config.scenario == folder, argv
    assert _config(build_parser().parse_args(["serve"]), demo=False).scenario == DEMO_TERRITORY
    service = Service(Store(tmp_path / "t.sqlite"), Hub())
    territory_id = service.install_scenario(load_scenario(folder))
    assert service.territory(territory_id)["name"] == "Val"
    service.store.close()


def test_a_folder_without_a_territory_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"territoire\.toml.*atelier init"):
        load_scenario(tmp_path)
