"""The words of the generated reports (corpus.py): ordinals, months, numbers and names in both
languages, the pool of English recommendations, and the seed's paragraphs that each French report
writes anew. Kept apart from the generator's rules so that either reads on its own."""

FR_ORDINALS = ["première", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième",
               "neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième", "quinzième", "seizième",
               "dix-septième", "dix-huitième", "dix-neuvième", "vingtième"]
EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
               "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
               "eighteenth", "nineteenth", "twentieth"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre",
             "décembre"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November",
             "December"]
FR_NUMBERS = {3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept"}
EN_NUMBERS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
FIRST_NAMES = ["Ignacio", "Simona", "Louis", "Maria", "Ahmed", "Olga", "Kwame", "Ana Lucía", "Jean-Pierre", "Hiroshi",
               "Fatima", "Peter", "Carmen", "Nomvula", "Tomás", "Ingrid", "Rahul", "Amina", "Sergei", "Lucía"]
LAST_NAMES = ["Baylina Ruíz", "Ragazzi", "Orsini", "Benali", "Petrova", "Mensah", "Torres", "Martin", "Tanaka",
              "Al-Zahra", "Lindqvist", "Magarín", "Dlamini", "Herrera", "Novak", "Okafor", "Sharma", "Haddad"]

# English recommendations: (section, text); {P} is the body's Protocol.
EN_POOL = [
    ("A", "States parties should consider adopting measures, in line with article 9 of the {P}, to strengthen "
          "cooperation with the private sector, including commercial carriers, and they may wish to share good "
          "practices with civil society."),
    ("A", "States must criminalize the conduct set out in article 5 of the {P} and should not treat victims as offenders."),
    ("A", "States should establish their jurisdiction over the offences covered by the {P}, in accordance with "
          "article 15 of the Organized Crime Convention."),
    ("A", "States are encouraged to collect and share data on the offences covered by the {P}, in cooperation "
          "with civil society and academia."),
    ("A", "States should ensure that their competent authorities receive adequate training, in line with "
          "article 10 of the {P}."),
    ("A", "States should consider establishing a national coordination mechanism involving law enforcement, "
          "border control and social services."),
    ("A", "States are encouraged to review their national legislation to ensure that it is consistent with the {P}."),
    ("B", "States are encouraged to make full use of article 32, paragraph 3, of the Organized Crime Convention "
          "and of articles 16 and 18 of the Convention."),
    ("B", "States should make use of the Organized Crime Convention as a legal basis for extradition and mutual "
          "legal assistance, in accordance with articles 16 and 18 of the Convention."),
    ("B", "States should consider joint investigations, in accordance with article 19 of the Organized Crime "
          "Convention, and the use of special investigative techniques under article 20 of the Convention."),
    ("B", "States should protect witnesses and their relatives from potential retaliation, in accordance with "
          "article 24 of the Organized Crime Convention."),
    ("B", "States are encouraged to designate central authorities and to share information on them through the "
          "directory of competent national authorities."),
    ("B", "States should strengthen cooperation between countries of origin, transit and destination, "
          "including through liaison officers."),
    ("B", "The Secretariat should continue to provide technical assistance to States, in cooperation with the "
          "International Organization for Migration."),
    ("B", "The Secretariat should continue to develop tools and guidelines to support the implementation of the {P}."),
    ("B", "States should promote the use of the knowledge management portal known as SHERLOC to facilitate the "
          "exchange of information on the implementation of the {P}."),
    ("B", "The Conference should consider ways to ensure that reliable information on the implementation of the "
          "Organized Crime Convention is collected."),
    ("B", "States should confiscate the proceeds of crime, in accordance with articles 12 to 14 of the "
          "Organized Crime Convention."),
]
EN_SECTIONS = {"A": "Prevention and criminalization", "B": "International cooperation"}
EN_REWORD = [("States should", "States parties should"), ("States are encouraged to", "States parties are encouraged to"),
             ("strengthen", "enhance"), ("promote", "encourage")]
# the seed's paragraphs made anew for each report (the seed's own number: its text)
FR_PARAGRAPHS = {
    46: "La {ordinal} réunion du {group} s’est tenue à Vienne du {day} au {end} {month} {year}. "
        "Elle a comporté {sittings} séances.",
    47: "La réunion a été présidée par {chair}.",
    50: "Au titre des points 2 et 3 de l’ordre du jour, sous la houlette du Président, le débat a été animé par {panel}.",
    51: "Au titre des points 2 à 6 de l’ordre du jour, des déclarations ont été faites par les représentants des "
        "États parties au Protocole {protocol} suivants: {speakers}, ainsi que par l’Union européenne.",
    53: "Les États ci-après qui ne sont pas parties au Protocole {protocol}, ou qui n’en sont pas signataires, ont "
        "fait une déclaration: {others_speaking}.",
    55: "À sa 1re séance, le {day} {month} {year}, le Groupe de travail a adopté par consensus son ordre du jour "
        "provisoire et le projet d’organisation de ses travaux:",
    56: "Les États parties au Protocole {protocol} ci-après étaient représentés au sein du Groupe de travail: {parties}.",
    58: "Les États signataires du Protocole {protocol} ci-après étaient représentés par des observateurs: {signatories}.",
    59: "Les États ci-après, qui ne sont pas parties au Protocole {protocol} ou qui n’en sont pas signataires, étaient "
        "représentés par des observateurs: {others}.",
    65: "Le {end} {month} {year}, le Groupe de travail a adopté le rapport sur les travaux de sa réunion "
        "({prefix}/{year}/L.1 et Add.1), tel que modifié oralement.",
}
FR_REWORD = [("Les États devraient", "Les États parties devraient"),
             ("Les États sont encouragés à", "Les États parties sont encouragés à"),
             ("renforcer", "consolider"), ("promouvoir", "favoriser"), ("s’efforcer de", "chercher à")]
