"""Pages through NiceGUI's simulated users: a board and several phones in one test."""

from __future__ import annotations

from collections.abc import Callable

from board_wall import WallData
from nicegui import app
from nicegui.testing import User
from prepared import lead_session, vote_on

from atelier.service import Service


def running_service() -> Service:
    return app.state.atelier_service


async def join_as(user: User, code: str, name: str, organisation: str) -> None:
    await user.open(f"/j/{code}")
    user.find(marker="name").type(name)
    user.find(marker="organisation").type(organisation)
    user.find(marker="join").click()
    await user.should_see(f"Bonjour {name} ({organisation})")


async def facilitator(create_user: Callable[[], User]) -> User:
    link = running_service().login_link()
    fac = create_user()
    await fac.open(f"/connexion?jeton={link}")
    await fac.should_see("Console d’animation")  # the one-time login link leads straight to the console
    return fac


async def test_three_phones_send_ideas_that_appear_on_the_board(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    await board.should_see(workshop.code)
    await board.should_see("0 participant·es")

    phones = [create_user() for _ in range(3)]
    people = [("Zoé", "Scierie Dumas"), ("Marc", "Garage du Pont"), ("Inès", "Épicerie « Chez Inès »")]
    for phone, (name, organisation) in zip(phones, people, strict=True):
        await join_as(phone, workshop.code, name, organisation)
        await phone.should_see("Envois fermés")  # welcome phase: no ideas yet
    await board.should_see("3 participant·es")
    await fac.should_see("Participant·es (3)")  # the console lists who joined, live
    await fac.should_see("Inès — Épicerie « Chez Inès »")

    with fac:
        fac.find(marker="next-phase").click()
    for phone in phones:
        await phone.should_not_see("Envois fermés")
        await phone.should_see(marker="idea-title")

    titles = ["Chaufferie bois partagée", "Broyeur à végétaux en commun", "Achat groupé d’emballages <b>bio</b>"]
    for phone, title in zip(phones, titles, strict=True):
        phone.find(marker="idea-title").type(title)
        phone.find(marker="send").click()
        await phone.should_see(f"Idée reçue : « {title} »")
        await phone.should_see("Mes idées (1)")
    for title in titles:
        await wall.shows(title)  # live, without reloading the board
    await board.should_see("3 idées")
    await wall.shows("Épicerie « Chez Inès »")  # organisation shown, person's name not on the projector
    assert not [text for text in wall.texts() if "Zoé" in text]
    await board.should_not_see("Zoé")

    with fac:
        fac.find(marker="next-phase").click()  # idées -> regroupement: the form closes
    for phone in phones:
        await phone.should_see("Envois fermés")
        await phone.should_not_see(marker="idea-title")
    await board.should_see("Regroupement")


async def test_bad_input_gets_a_french_message_and_stores_nothing(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    fac.find(marker="next-phase").click()
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    phone.find(marker="send").click()
    await phone.should_see("Écrivez un titre pour votre idée.")
    phone.find(marker="idea-title").type("x" * 141)
    phone.find(marker="send").click()
    await phone.should_see("Le titre fait 141 caractères : 140 au plus.")
    assert service.ideas(workshop.id) == []

    stranger = create_user()
    await stranger.open("/j/QQQQQ")
    await stranger.should_see("Aucun atelier ne porte le code « QQQQQ »")


async def test_join_form_refuses_missing_organisation(create_user: Callable[[], User]) -> None:
    workshop = running_service().workshops()[0]
    phone = create_user()
    await phone.open(f"/j/{workshop.code}")
    phone.find(marker="name").type("Zoé")
    phone.find(marker="join").click()
    await phone.should_see("Indiquez votre structure")
    assert running_service().participants(workshop.id) == []


async def test_phone_keeps_identity_and_draft_across_reload(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    fac.find(marker="next-phase").click()
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    phone.find(marker="idea-title").type("Idée à moitié tapée")
    service.flush_drafts()
    await phone.open(f"/j/{workshop.code}")
    await phone.should_see("Bonjour Zoé (Scierie Dumas)")
    assert phone.find(marker="idea-title").elements.pop().value == "Idée à moitié tapée"


async def test_console_needs_the_facilitator_secret(create_user: Callable[[], User]) -> None:
    workshop = running_service().workshops()[0]
    visitor = create_user()
    await visitor.open(f"/animation/atelier/{workshop.id}")
    await visitor.should_see("Connexion de l’animation")
    await visitor.should_not_see("Phase suivante")
    await visitor.open("/connexion?jeton=mauvais-jeton")
    await visitor.should_see("Ce lien de connexion n’est plus valable")


async def test_facilitator_hides_and_merges_and_board_follows(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    fac = await facilitator(create_user)
    await fac.open(f"/animation/atelier/{workshop.id}")
    fac.find(marker="next-phase").click()
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    ids = []
    for n, title in enumerate(["Camion frigo partagé", "Tournée commune de livraison", "Idée hors sujet"]):
        phone = create_user()
        await join_as(phone, workshop.code, f"P{n}", f"Ferme {n}")
        phone.find(marker="idea-title").type(title)
        phone.find(marker="send").click()
        await phone.should_see("Idée reçue")
        ids.append(service.ideas(workshop.id)[-1].id)
    await wall.shows("Idée hors sujet")
    await fac.should_see(marker=f"hide-{ids[2]}", retries=20)  # the console draws a burst batched: up to 0.3 s
    with fac:
        fac.find(marker=f"hide-{ids[2]}").click()
    await wall.shows("Idée hors sujet", present=False)
    with fac:
        fac.find(marker=f"select-{ids[0]}").click()
        fac.find(marker=f"select-{ids[1]}").click()
        fac.find(marker="merge").click()
    await fac.should_see(marker="merge-title")
    with fac:
        fac.find(marker="merge-title").clear().type("Logistique du frais en commun")
        fac.find(marker="merge-confirm").click()
    await wall.shows("Logistique du frais en commun")
    await wall.shows("Camion frigo partagé")  # the group's ideas, on its card
    await wall.shows("Tournée commune de livraison", present=True)
    assert [i["t"] for i in wall.ideas.values()] == ["Logistique du frais en commun"]
    await board.should_see("1 idées")
    members = service.group_members(service.wall(workshop.id)[0].id)
    assert sorted(m.title for m in members) == ["Camion frigo partagé", "Tournée commune de livraison"]


async def test_phone_page_in_english_when_asked(create_user: Callable[[], User]) -> None:
    workshop = running_service().workshops()[0]
    phone = create_user()
    await phone.open(f"/j/{workshop.code}?lang=en")
    await phone.should_see("Join the workshop")
    phone.find(marker="join").click()
    await phone.should_see("Enter your name.")
    await phone.open(f"/j/{workshop.code}")  # the choice is remembered for this browser
    await phone.should_see("Join the workshop")
    await phone.open(f"/j/{workshop.code}?lang=fr")
    await phone.should_see("Rejoindre l’atelier")


async def test_phones_add_swot_items_live_on_the_board(create_user: Callable[[], User]) -> None:
    service = running_service()
    territory_id = service.territories()[0]["id"]
    facilitation = service.as_facilitator(service.log_in(service.reset_facilitator_secret()))
    workshop = facilitation.move_phase(facilitation.create_workshop(territory_id, "FFOM", "ffom").id, 1)
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    await board.should_see("Opportunités")
    await board.should_see("Menaces")
    items = [("forces", "Des scieries et des fermes qui se connaissent"), ("menaces", "Fermeture de la laiterie"),
             ("opportunites", "Appel à projets <script>alert(1)</script> économie circulaire")]
    for n, (quadrant, text) in enumerate(items):
        phone = create_user()
        await join_as(phone, workshop.code, f"P{n}", f"Structure {n}")
        await phone.should_see("Dans quelle case ?")
        phone.find(marker="swot-quadrant").elements.pop().set_value(quadrant)
        phone.find(marker="swot-text").type(text)
        phone.find(marker="swot-send").click()
        await phone.should_see(f"Reçu : « {text} »")
    for _, text in items:
        await board.should_see(text)
    stored = {(i.quadrant.value, i.text) for i in service.swot(territory_id)}
    assert stored == set(items)

    fac = await facilitator(create_user)
    await fac.open(f"/animation/territoire/{territory_id}/ffom")
    await fac.should_see("Fermeture de la laiterie")
    hidden = next(i for i in service.swot(territory_id) if i.text == "Fermeture de la laiterie")
    fac.find(marker=f"swot-hide-{hidden.id}").click()
    await board.should_not_see("Fermeture de la laiterie")
    await board.should_see("Des scieries et des fermes qui se connaissent")


async def test_phones_rate_actions_and_the_board_follows(create_user: Callable[[], User]) -> None:
    service = running_service()
    prepared = vote_on(service, ["Chaufferie bois partagée", "Camion frigorifique en commun"],
                       results_visible=True)
    workshop = prepared.vote
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    await board.should_see("0 votant·es · 0 ont noté toutes les actions")
    phones = [create_user() for _ in range(3)]
    for n, phone in enumerate(phones):
        await join_as(phone, workshop.code, f"P{n}", ["Scierie Dumas", "Brasserie La Fourche", "Garage"][n])
        await phone.should_see("0/2 notées")
        for _ in range(2):
            phone.find(marker="rating-impact").elements.pop().set_value(4)
            phone.find(marker="rating-ease").elements.pop().set_value(5)
            phone.find(marker="rating-horizon").elements.pop().set_value("court")
            phone.find(marker="rating-engagement").elements.pop().set_value("pilote" if n == 0 else "contributeur")
            phone.find(marker="rating-save").click()
        await phone.should_see("Toutes les actions sont notées")
        await phone.should_see("2/2 notées")
    service.publish_results()  # the app's results loop does this every half second
    # During the vote the board shows its progress, never the grades, even with the results revealed.
    await board.should_see("3 votant·es · 3 ont noté toutes les actions")
    await board.should_see("3 notes")
    await board.should_not_see("1. Chaufferie bois partagée")

    again = create_user()  # a phone that saves before choosing grades gets told, and nothing is stored
    await join_as(again, workshop.code, "P3", "Épicerie")
    again.find(marker="rating-save").click()
    await again.should_see("Choisissez une note de 1 à 5.")
    assert service.results(workshop.id).voters == 3

    prepared.facilitation.move_phase(workshop.id, 1)  # vote -> results
    await board.should_see("3 votant·es")
    await board.should_see("1. Chaufferie bois partagée")
    await board.should_see("fruit à portée de main")


async def test_dot_vote_on_the_phone_keeps_to_the_budget(create_user: Callable[[], User]) -> None:
    service = running_service()
    prepared = vote_on(service, ["Broyeur partagé"], vote_mode="points", points_budget=3)
    workshop, action = prepared.vote, prepared.actions[0]
    phone = create_user()
    await join_as(phone, workshop.code, "Zoé", "Scierie Dumas")
    await phone.should_see("3 points restants sur 3")
    for _ in range(4):
        phone.find(marker=f"points-more-{action.id}").click()
    await phone.should_see("Trop de points : retirez-en 1.")
    phone.find(marker="points-save").click()
    await phone.should_see("Vous avez réparti 4 points sur 3 : retirez-en 1.")
    assert service.own_dot_votes(workshop.id, service.participants(workshop.id)[0].id) == {}
    phone.find(marker=f"points-less-{action.id}").click()
    phone.find(marker="points-save").click()
    await phone.should_see("Vos points sont enregistrés.")
    assert service.own_dot_votes(workshop.id, service.participants(workshop.id)[0].id) == {action.id: 3}


async def test_method_guide_shows_where_the_territory_stands(create_user: Callable[[], User]) -> None:
    service = running_service()
    territory_id = service.territories()[0]["id"]
    actors = len(service.store.actors(territory_id))
    fac = await facilitator(create_user)
    await fac.open(f"/animation/territoire/{territory_id}/methode")
    await fac.should_see(marker="current-step")
    # every actor has an interview; the leads they gave are not examined yet
    await fac.should_see("Étape en cours : 3. Premières pistes de mutualisation")
    await fac.should_see(f"{actors} entretiens sur {actors} acteurs")  # the demo visited every actor
    await fac.should_see(marker="method-step-pistes")
    visitor = create_user()
    await visitor.open(f"/animation/territoire/{territory_id}/methode")
    await visitor.should_see("Connexion de l’animation")
    await visitor.should_not_see(marker="current-step")

    # The same guide in English, the method's own words included.
    english = await facilitator(create_user)
    await english.open(f"/animation/territoire/{territory_id}/methode?lang=en")
    await english.should_see("Current step: 3. First pooling leads")
    await english.should_see(f"{actors} interviews out of {actors} actors")
    await english.should_see("Facilitation tips")
    await english.should_not_see("Étape en cours")


async def test_working_group_page_plans_meetings_and_follows_the_action(create_user: Callable[[], User]) -> None:
    service = running_service()
    prepared = vote_on(service, ["Légumerie partagée"])
    action = prepared.actions[0]
    selection = service.selection(lead_session(service))
    selection.select(prepared.vote.id, action.id)
    selection.set_working_group(action.id, True)
    group_id = service.groups(lead_session(service)).create(action.id, "Ouvrir la légumerie en 2027")
    fac = await facilitator(create_user)
    page = f"/animation/groupe/{group_id}"
    await fac.open(page)
    await fac.should_see("Ouvrir la légumerie en 2027")
    await fac.should_see("0 réunion(s) prévue(s) : la méthode en conseille 3 à 5")

    fac.find(marker="meeting-when").type("2027-01-12T18:30")
    fac.find(marker="meeting-place").type("Salle des fêtes")
    fac.find(marker="plan-meeting").click()
    await fac.open(page)  # the page reloads after each change
    await fac.should_see("Réunion 1 — 2027-01-12 18:30 — Salle des fêtes — prévue")
    await fac.should_see("1 réunion(s) prévue(s) : la méthode en conseille 3 à 5")

    fac.find(marker="step-text-1").type("Demander un devis")
    fac.find(marker="step-add-1").click()
    await fac.should_see("Indiquez qui prend en charge la prochaine étape.")  # a step needs someone to take it
    fac.find(marker="step-owner-1").type("Collège")
    fac.find(marker="step-add-1").click()
    await fac.open(page)
    await fac.should_see("• Demander un devis — Collège")

    fac.find(marker="group-status").elements.pop().set_value("en-cours")
    fac.find(marker="save-status").click()
    await fac.open(page)
    await fac.should_see("en cours 0 % —")  # the status history line
    assert service.store.action(action.id).status == "en-cours"

    fac.find(marker="group-status").elements.pop().set_value("abandonnee")
    fac.find(marker="save-status").click()
    await fac.should_see("Dites pourquoi l’action est abandonnée : la raison est gardée.")
    assert service.store.action(action.id).status == "en-cours"
    fac.find(marker="status-note").type("La commune reprend le projet")
    fac.find(marker="save-status").click()
    await fac.open(page)
    await fac.should_see("abandonnée 0 % — La commune reprend le projet")

async def test_board_card_shows_its_support_count_live(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    facilitation = service.as_facilitator(service.log_in(service.reset_facilitator_secret()))
    facilitation.set_participation(workshop.id, peer_ideas=True)
    facilitation.move_phase(workshop.id, 1)
    author = service.join(workshop.code, "author", "Zoé", "Scierie Dumas")
    idea = service.submit_idea(workshop.id, author.id, "client-0001-abcdef", "Broyeur partagé", "", "energie")
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    for n in range(2):
        supporter = service.join(workshop.code, f"supporter-{n}", f"P{n}", "Garage du Pont")
        service.toggle_support(supporter.id, idea.id)
    await wall.card_has(idea.id, "s", 2)  # "+2" on the card, without reloading the board


async def test_board_stops_naming_an_actor_whose_consent_is_withdrawn(create_user: Callable[[], User]) -> None:
    service = running_service()
    workshop = service.workshops()[0]
    session = lead_session(service)
    service.as_facilitator(session).move_phase(workshop.id, 1)
    author = service.join(workshop.code, "author", "Zoé", "SCIERIE DUMAS")  # typed as a phone would
    idea = service.submit_idea(workshop.id, author.id, "client-0001-abcdef", "Chaufferie partagée", "", "energie")
    board = create_user()
    await board.open(f"/tableau/{workshop.code}")
    wall = WallData(board)
    await wall.card_has(idea.id, "o", "SCIERIE DUMAS")  # consenting: named as typed
    diagnostic = service.diagnostic(session)
    actor_id = next(i for i, a in diagnostic.actors(workshop.territory_id) if a.name == "Scierie Dumas")
    diagnostic.edit_actor(actor_id, {"consentement_public": False})
    await wall.shows("SCIERIE DUMAS", present=False)  # unnamed at once, without a reload
    await wall.card_has(idea.id, "t", "Chaufferie partagée")  # the card itself stays
    diagnostic.edit_actor(actor_id, {"consentement_public": True})
    await wall.card_has(idea.id, "o", "SCIERIE DUMAS")


async def test_facilitator_pages_open_alike_with_the_territory_menu_and_one_heading(
        create_user: Callable[[], User]) -> None:
    """The opening shared by the facilitator's territory pages: the login page without a session; with one, the
    territory's menu and the page's heading, in the page's language."""
    territory_id = running_service().territories()[0]["id"]
    pages = {"groupes": ("Tableau de bord du plan", "Plan dashboard"), "extension": ("Extension du réseau",
             "Extending the network"), "donnees": ("Données personnelles", "Personal data"),
             "methode": ("Guide de la méthode", "Method guide"), "ffom": ("Matrice FFOM", "SWOT matrix"),
             "acteurs": ("Acteurs", "Actors")}
    visitor = create_user()
    fac = await facilitator(create_user)
    for path, (french, english) in pages.items():
        await visitor.open(f"/animation/territoire/{territory_id}/{path}")
        await visitor.should_see("Connexion de l’animation")
        await visitor.should_not_see(french)
        await fac.open(f"/animation/territoire/{territory_id}/{path}")
        await fac.should_see(french)
        with fac:
            assert [e.tag for e in fac.find(french).elements].count("h1") == 1, path  # the page's one heading
        await fac.should_see("Pistes de synergie")  # the territory's menu
        await fac.open(f"/animation/territoire/{territory_id}/{path}?lang=en")
        await fac.should_see(english)
        await fac.should_see("Synergy leads")
        await fac.open(f"/animation/territoire/{territory_id}/{path}?lang=fr")
