"""Plans made up for tests and timings: every French character, formula-looking cells, long texts."""

from __future__ import annotations

from atelier.exports.model import ActionPlan, PlanAction, PlanIdea, PlanLead, PlanMeeting, PlanSwotItem

TRICKY_TEXTS = (
    "=SOMME(A1:A9)",  # would run as a formula
    "+33 4 71 00 00 00",
    "-10 % sur le gazole",
    "@mairie",
    "\tindentée",
    "Ligne 1\nLigne 2 ; avec « guillemets », des \"doubles\", une virgule, et un point-virgule ;",
)


def action(n: int, *, selected: bool = True, fruit: bool = False, group: bool = False) -> PlanAction:
    tricky = TRICKY_TEXTS[n % len(TRICKY_TEXTS)]
    return PlanAction(
        id=n, title=f"Action {n} : chaufferie à copeaux, main-d’œuvre partagée ({n * 1000} €)",
        description=f"Description de l’action {n} — « coopération » entre acteurs.\n{tricky}",
        category="Énergie" if n % 2 else "Matières et déchets", category_colour="#e69f00" if n % 2 else "#b08968",
        horizon="court terme" if fruit else ("long terme" if group else "moyen terme"), selected=selected,
        low_hanging_fruit=fruit,
        fruit_reason=("facile 5/5, impact 4/5, court terme, pilote : Scierie Dumas" if fruit
                      else "facile 2/5, impact 5/5"),
        unselection_reason="" if selected else "Déjà porté par la communauté de communes",
        working_group=group, pilot="Scierie Dumas" if selected else "",
        contributors=("Brasserie La Fourche", "Épicerie « Le Panier »"), interested=("Mairie",),
        ratings=12, impact_median=4, ease_median=5 if fruit else 2, impact_mean=4.17, ease_mean=4.5 if fruit else 2.2,
        impact_distribution=(0, 1, 2, 5, 4), ease_distribution=(0, 0, 1, 5, 6) if fruit else (3, 6, 2, 1, 0),
        points=0, rank=n, next_step=f"Réunir les acteurs ; chiffrer {tricky}" if selected else "",
        next_step_owner="Hélène Dumas" if selected else "", next_step_due="2027-01-15" if selected else "",
        status="à lancer", origin="piste des entretiens" if n % 3 == 0 else "idée de l’atelier",
    )


def sample_plan(actions: int = 8, ideas: int = 20) -> ActionPlan:
    plan_actions = tuple(action(n, selected=n % 4 != 3, fruit=n % 4 == 0, group=n % 4 in (1, 2))
                         for n in range(1, actions + 1))
    plan_ideas = tuple(PlanIdea(title=f"Idée {n} : {TRICKY_TEXTS[n % len(TRICKY_TEXTS)]}",
                                details="Détails, œuvre, 5 €",
                                category="Énergie", organisation="Scierie Dumas" if n % 2 else "",
                                group="Chaufferie commune" if n % 5 == 0 else "", is_group=False, hidden=n % 7 == 0)
                       for n in range(1, ideas + 1))
    swot = (PlanSwotItem("Forces", "Des acteurs qui se connaissent"),
            PlanSwotItem("Faiblesses", "Peu de temps disponible"),
            PlanSwotItem("Opportunités", "Plan alimentaire territorial « PAT »"),
            PlanSwotItem("Menaces", "=Fermeture de la laiterie"))
    leads = (PlanLead("substitution", "Matières et déchets", ("Scierie Dumas", "GAEC du Pré-Haut"),
                      ("sciure", "litière"), 0.86, "proposée à l’atelier", ""),
             PlanLead("mutualisation", "Achats groupés", ("Acteur 3", "Transports Fabre"), ("gazole",), 0.95,
                      "écartée", "Ils achètent déjà ensemble"))
    meetings = tuple(PlanMeeting(group=plan_actions[1].title, number=k, starts_at=f"2027-0{k}-12T18:30:00",
                                 minutes=90, place="Salle des fêtes, Saint-Julien", uid=f"reunion-{k}@atelier")
                     for k in range(1, 4))
    return ActionPlan(
        territory="Communauté de communes du Haut-Vallon", workshop="Atelier 2 — Sélection des actions",
        workshop_code="GHX7M", date="2026-11-26", generated_at="2026-11-26T21:30:00",
        organisations=("Scierie Dumas", "Brasserie La Fourche", "Épicerie « Le Panier »", "Mairie de Saint-Julien"),
        participants_count=23, voters=21, thresholds="facilité ≥ 4, impact ≥ 3, court terme, au moins un pilote",
        vote_mode="notes", actions=plan_actions, ideas=plan_ideas, swot=swot, leads=leads, meetings=meetings,
    )


def large_plan() -> ActionPlan:
    """The size the issue asks timings for: 60 actions and 300 ideas."""
    return sample_plan(actions=60, ideas=300)
