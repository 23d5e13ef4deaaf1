"""The words of the pages, in English and French (the data's own labels come from the graph)."""
from __future__ import annotations

STRINGS = {
    "site": ("report-graph", "report-graph"),
    "tagline": ("UN meeting reports as a linked, bilingual knowledge graph",
                "Rapports de réunions de l’ONU en graphe de connaissances lié et bilingue"),
    "about": ("This dataset turns the reports of UN intergovernmental meetings into linked data: the "
              "recommendations they make, the treaty articles they cite, whom they address, the themes they "
              "touch, and who took part and spoke. Every link keeps the words of the report it was read from.",
              "Ce jeu de données fait des rapports de réunions intergouvernementales de l’ONU des données liées : "
              "les recommandations qu’ils formulent, les articles de traités qu’ils citent, à qui ils s’adressent, "
              "les thèmes qu’ils abordent, et qui a participé et pris la parole. Chaque lien garde les mots du "
              "rapport d’où il a été lu."),
    "counts": ("In numbers", "En chiffres"), "reports": ("Reports", "Rapports"),
    "recommendations": ("Recommendations", "Recommandations"), "citations": ("Article citations", "Citations d’articles"),
    "meetings": ("Meetings", "Réunions"), "participants": ("Participants", "Participants"),
    "quads": ("Statements (quads)", "Énoncés (quads)"), "downloads": ("Downloads", "Téléchargements"),
    "questions": ("Questions", "Questions"), "home": ("Home", "Accueil"),
    "this_resource": ("This resource as data", "Cette ressource en données"),
    "data": ("What the data says", "Ce que disent les données"), "property": ("property", "propriété"),
    "value": ("value", "valeur"), "graph": ("graph", "graphe"), "referenced_by": ("Referenced by", "Cité par"),
    "sections": ("Sections and paragraphs", "Sections et paragraphes"), "paragraph": ("paragraph", "paragraphe"),
    "recommendation": ("recommendation", "recommandation"), "who_took_part": ("Who took part", "Participants"),
    "role": ("role", "rôle"), "matrix": ("Citation matrix", "Matrice des citations"),
    "matrix_note": ("Recommendations (rows) and the articles they cite (dark) or imply through their themes (light).",
                    "Les recommandations (lignes) et les articles qu’elles citent (foncé) ou qu’elles impliquent par leurs thèmes (clair)."),
    "csv": ("Download the matrix as CSV", "Télécharger la matrice en CSV"),
    "cited": ("cited", "cité"), "implied": ("implied", "impliqué"),
    "text": ("Text", "Texte"), "modality": ("Modality", "Modalité"), "addressees": ("Addressees", "Destinataires"),
    "mentioned": ("Actors mentioned", "Acteurs mentionnés"), "cited_articles": ("Articles cited", "Articles cités"),
    "implied_articles": ("Articles implied", "Articles impliqués"), "instruments": ("Instruments cited", "Instruments cités"),
    "themes": ("Themes", "Thèmes"), "why": ("Why this link", "Pourquoi ce lien"), "quote": ("quote", "citation"),
    "rule": ("rule", "règle"), "confidence": ("confidence", "confiance"), "link": ("link", "lien"),
    "part_of": ("Part of", "Partie de"), "negated": ("negated", "niée"),
    "title_en": ("Title (English)", "Titre (anglais)"), "title_fr": ("Title (French)", "Titre (français)"),
    "citing": ("Recommendations citing this article, across the series",
               "Recommandations qui citent cet article, dans toute la série"),
    "how": ("how", "comment"), "report": ("report", "rapport"), "meeting": ("meeting", "réunion"),
    "roles": ("Roles in meetings", "Rôles dans les réunions"), "statements": ("Statements", "Déclarations"),
    "speaker": ("speaker", "orateur"), "on_theme": ("Recommendations on this theme", "Recommandations sur ce thème"),
    "reports_of": ("Reports", "Rapports"), "agenda": ("Agenda", "Ordre du jour"),
    "documents": ("Documents considered", "Documents examinés"), "dates": ("Dates", "Dates"),
    "venue": ("Venue", "Lieu"), "body": ("Body", "Organe"), "series": ("In the series", "Dans la série"),
    "parameters": ("Parameters", "Paramètres"), "answer": ("Answer", "Réponse"), "ask": ("Ask", "Demander"),
    "rows": ("rows", "lignes"), "example": ("with the example values", "avec les valeurs d’exemple"),
    "legend": ("Highlighted: the words each link was read from.", "En surbrillance : les mots dont chaque lien a été lu."),
    "kind_report": ("Report", "Rapport"), "kind_recommendation": ("Recommendation", "Recommandation"),
    "kind_article": ("Treaty article", "Article de traité"), "kind_state": ("State", "État"),
    "kind_organization": ("Organization", "Organisation"), "kind_person": ("Person", "Personne"),
    "kind_theme": ("Theme", "Thème"), "kind_meeting": ("Meeting", "Réunion"), "kind_resource": ("Resource", "Ressource"),
    "kind_question": ("Question", "Question"), "definition": ("Definition", "Définition"),
    "none": ("none", "aucun"), "colon": (":", " :"),
}


def strings(lang: str) -> dict[str, str]:
    i = 1 if lang == "fr" else 0
    return {k: v[i] for k, v in STRINGS.items()}
