"""The vocabulary synthetic text is drawn from: names, places, and phrases of diplomatic prose.

Countries and organizations are invented (syllables and generic words), so generated
statements are never attributed to a real government; cities are real, as venues are.
"""

# fmt: off
FIRST_NAMES = (
    "Anna", "Amir", "Beatriz", "Bjorn", "Carmen", "Chen", "Dmitri", "Elena", "Emeka", "Farah", "Felix",
    "Greta", "Hana", "Hugo", "Ines", "Ivan", "Jana", "Jonas", "Kaito", "Karin", "Laila", "Lars", "Maria",
    "Marek", "Mei", "Milan", "Nadia", "Nikos", "Olga", "Omar", "Paula", "Pedro", "Priya", "Rafael",
    "Rania", "Samir", "Sofia", "Stefan", "Tariq", "Tomas", "Ugo", "Valentina", "Viktor", "Yasmin",
    "Zofia", "Zoltan", "Aino", "Bongani", "Chiara", "Dariusz", "Ebba", "Fatima", "Goran", "Ingrid",
    "Juan", "Kenji", "Lucia", "Mateus", "Noor", "Oskar",
)
LAST_NAMES = (
    "Adeyemi", "Alvarez", "Andersen", "Baptiste", "Bauer", "Bianchi", "Castillo", "Costa", "Dubois",
    "Eriksen", "Fischer", "Garcia", "Haddad", "Hansen", "Horvath", "Ibrahim", "Ishikawa", "Jansen",
    "Kaur", "Kowalski", "Kruger", "Larsen", "Lindqvist", "Mendes", "Moreau", "Nakamura", "Novak",
    "Okafor", "Olsen", "Papadopoulos", "Petrov", "Quintero", "Rahman", "Rossi", "Santos", "Schmidt",
    "Silva", "Sokolova", "Tanaka", "Tremblay", "Usman", "Varga", "Vasquez", "Wagner", "Weber", "Xu",
    "Yilmaz", "Zhang", "Zielinski", "Aaltonen", "Björk", "Çelik", "Doğan", "Łukasiewicz", "Müller",
    "Núñez", "Østergaard", "Šimek", "Žukauskas", "Ó Briain",
)
SYLLABLES = (
    "nor", "va", "es", "tar", "li", "ben", "mar", "ko", "ri", "dan", "sel", "ost", "ul", "ra", "vin",
    "the", "gal", "do", "mi", "ser", "an", "ka", "lu",
)
COUNTRY_ENDINGS = ("ia", "land", "ovia", "ania", "ea", "istan")
REGIONS = (
    "Northern", "Atlantic", "Baltic", "Pacific", "Continental", "Southern", "Eastern", "Arctic",
    "Central", "Coastal",
)
PURPOSES = ("Security", "Trade", "Cooperation", "Defence", "Economic", "Energy", "Development")
BODIES = ("Alliance", "Council", "Union", "Organization", "Forum", "Community")
INTERGOVERNMENTAL_RANKS = ("Secretary General", "Deputy Secretary General", "President", "High Representative")
GOVERNMENT_RANKS = ("President", "Prime Minister", "Vice President", "National Security Adviser")
DEPARTMENT_AREAS = ("Foreign Affairs", "Defence", "Finance", "Energy", "Trade", "Justice", "Health")
DEPARTMENT_RANKS = ("Minister", "Deputy Minister", "State Secretary", "Director-General")

TOPIC_ROOTS = (
    "Security", "Defence", "Trade", "Energy", "Climate", "Migration", "Health", "Cyber security",
    "Finance", "Development", "Human rights", "Arms control", "Maritime affairs", "Space",
    "Food security", "Technology", "Sanctions", "Elections", "Infrastructure", "Education",
)
TOPIC_ASPECTS = (
    "policy", "cooperation", "funding", "regulation", "crisis response", "partnerships", "standards",
    "research",
)
TOPIC_AREAS = (
    "the Arctic", "the Baltic region", "the Black Sea", "the Sahel", "the Indo-Pacific",
    "the Western Balkans", "the Mediterranean", "the Caucasus", "the Horn of Africa", "the Andes",
    "the Gulf", "Central Asia",
)

CITIES = (
    "Brussels", "Washington, D.C.", "Geneva", "New York", "Vienna", "Paris", "Berlin", "London",
    "Tokyo", "Madrid", "Warsaw", "Rome", "Ottawa", "Canberra", "Nairobi", "Brasília", "New Delhi",
    "Jakarta", "Seoul", "Oslo", "Stockholm", "Helsinki", "Ankara", "Cairo", "Addis Ababa", "Singapore",
    "Mexico City", "The Hague", "Copenhagen", "Lisbon", "Prague", "Vilnius", "Tallinn", "Riga",
    "Bucharest", "Athens", "Dublin", "Reykjavík", "Wellington", "Santiago",
)
VENUES = (
    "Foreign Ministry", "Presidential Palace", "Alliance Headquarters", "Conference Centre",
    "Prime Minister’s Office", "Parliament Building", "Embassy", "",
)
PUBLISHERS = (
    "Alliance Press Office", "Daily Diplomatic Review", "Capital Wire", "Foreign Affairs Bulletin",
    "The Summit Observer", "Ministry Newsroom",
)

# Plural subjects only, so that every verb below agrees with every subject.
FIRST_PERSON = (
    "We", "Our partners", "Our ministers", "Both sides", "Our governments", "Our allies",
    "Our citizens", "Our delegations", "Our armed forces", "Our negotiators", "I",
)
THIRD_PERSON = (
    "the allies", "the governments", "the ministers", "both sides", "the leaders", "the delegations",
    "their partners", "the negotiating teams", "the member states", "the two countries",
)
VERBS = (
    "will strengthen", "must continue to support", "have agreed to expand", "are ready to defend",
    "will not accept any threat to", "welcome", "remain committed to", "need to invest in", "discussed",
    "will review", "call for", "reaffirmed", "cannot ignore", "are working to improve", "fully support",
    "will keep pressing for",
)
OBJECTS = (
    "our collective defence", "the rules-based international order", "regional stability",
    "energy security", "the humanitarian response", "free and fair trade",
    "the protection of critical infrastructure", "closer cooperation on cyber threats",
    "sustainable development", "the reconstruction effort", "a lasting ceasefire",
    "the sovereignty of our partners", "joint investment in new technology",
    "a more resilient supply chain", "the climate commitments we made", "the safety of our citizens",
    "an open and transparent dialogue",
)
TAILS = (
    "", " in the coming months", " together with our allies", " without delay", " at every level",
    " as a matter of urgency", " for the years ahead", " across the whole region",
    " in close consultation with our partners", " this year", " despite the difficulties",
    " step by step",
)
OPENERS = ("", "", "", "Today, ", "Above all, ", "At the same time, ", "For this reason, ", "Once again, ")
ATTRIBUTIONS = ("said", "stressed", "added", "underlined", "emphasized", "noted")
# fmt: on
