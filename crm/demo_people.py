"""Word lists for the synthetic demo people. Nothing here describes a real
person: first and last names are drawn at random and combined, so any
resemblance to someone real is chance.

The mix of names reflects the range of backgrounds of people in England
(Census 2021): White British and Irish, Eastern and Southern European,
South Asian, Black African and Caribbean, Chinese and East Asian, Arab,
Turkish, Kurdish and others. Each first name comes with usual pronouns (""
when not known); the generator sometimes changes them.
"""

from __future__ import annotations

# (weight, first names with usual pronouns, last names). Weights roughly
# follow the ethnic make-up of England (Census 2021), rounded; most people
# get a first and last name from the same list, some from two (families mix).
NAME_GROUPS: tuple[tuple[int, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    (70, (  # Common in England across generations, and Irish and Scottish
        ("Olivia", "she/her"), ("Amelia", "she/her"), ("Isla", "she/her"), ("Ava", "she/her"),
        ("Grace", "she/her"), ("Ruth", "she/her"), ("Margaret", "she/her"), ("Susan", "she/her"),
        ("Karen", "she/her"), ("Joanne", "she/her"), ("Claire", "she/her"),
        ("Hannah", "she/her"), ("Chloe", "she/her"), ("Sophie", "she/her"), ("Lucy", "she/her"),
        ("Megan", "she/her"), ("Bridget", "she/her"), ("Mary", "she/her"),
        ("Siobhan", "she/her"), ("Niamh", "she/her"), ("Aoife", "she/her"),
        ("Eilidh", "she/her"), ("Elizabeth", "she/her"),
        ("Jack", "he/him"), ("Oliver", "he/him"), ("George", "he/him"), ("Harry", "he/him"),
        ("Thomas", "he/him"), ("James", "he/him"), ("David", "he/him"), ("Paul", "he/him"),
        ("Stephen", "he/him"), ("Gary", "he/him"), ("Lee", "he/him"), ("Craig", "he/him"),
        ("Daniel", "he/him"), ("Ryan", "he/him"), ("Liam", "he/him"), ("Callum", "he/him"),
        ("Patrick", "he/him"), ("Johnny", "he/him"), ("Ciaran", "he/him"),
        ("Declan", "he/him"), ("Fergus", "he/him"),
        ("Alex", ""), ("Sam", ""), ("Jordan", ""), ("Charlie", ""), ("Robin", ""),
        ("Jamie", ""), ("Frankie", ""), ("Ashley", ""), ("Morgan", ""), ("Rowan", ""),
    ), (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
        "Hall", "Wood", "Jackson", "Clarke", "Hughes", "Turner", "Hill", "Cooper", "Ward",
        "Harrison", "Moore", "Shaw", "Barker", "Holmes", "Marsh", "Fletcher", "Pearson",
        "Dixon", "Booth", "Sutcliffe", "Ainsworth", "Pennington", "Whitworth", "Cartwright",
        "Murphy", "O'Brien", "Kelly", "Byrne", "Doherty", "McCarthy", "Campbell", "MacLeod",
        "Fraser", "Lee", "Boswell", "Lovell", "McDonagh", "Levy", "Cohen", "Jacobs",
    )),
    (7, (  # Polish, Romanian, Lithuanian, Italian, Portuguese, Greek
        ("Agnieszka", "she/her"), ("Katarzyna", "she/her"), ("Magdalena", "she/her"),
        ("Tomasz", "he/him"), ("Piotr", "he/him"), ("Marek", "he/him"), ("Ioana", "she/her"),
        ("Andrei", "he/him"), ("Elena", "she/her"), ("Vytautas", "he/him"),
        ("Rasa", "she/her"), ("Giulia", "she/her"), ("Marco", "he/him"), ("Ines", "she/her"),
        ("Joao", "he/him"), ("Eleni", "she/her"), ("Nikos", "he/him"),
    ), (
        "Nowak", "Kowalska", "Wisniewski", "Wojcik", "Kaminski", "Popescu", "Ionescu",
        "Balog", "Petrauskas", "Kazlauskiene", "Rossi", "Esposito", "Ferreira", "Silva",
        "Papadopoulos",
    )),
    (10, (  # Indian, Pakistani, Bangladeshi, Sri Lankan
        ("Priya", "she/her"), ("Anjali", "she/her"), ("Sunita", "she/her"), ("Harpreet", ""),
        ("Gurpreet", ""), ("Ravi", "he/him"), ("Arjun", "he/him"), ("Sanjay", "he/him"),
        ("Ayesha", "she/her"), ("Fatima", "she/her"), ("Sana", "she/her"),
        ("Nadia", "she/her"), ("Imran", "he/him"), ("Bilal", "he/him"), ("Usman", "he/him"),
        ("Zain", "he/him"), ("Rukhsana", "she/her"), ("Shahida", "she/her"),
        ("Nasrin", "she/her"), ("Rahim", "he/him"), ("Shafiq", "he/him"),
        ("Tanvir", "he/him"), ("Tharshini", "she/her"), ("Kajan", "he/him"),
    ), (
        "Patel", "Shah", "Mistry", "Desai", "Sharma", "Gupta", "Singh", "Kaur", "Sandhu",
        "Gill", "Dhillon", "Khan", "Hussain", "Ahmed", "Akhtar", "Iqbal", "Malik",
        "Chaudhry", "Begum", "Miah", "Uddin", "Rahman", "Chowdhury", "Islam", "Sivakumar",
        "Rajapaksha",
    )),
    (5, (  # Black African and Caribbean
        ("Amara", "she/her"), ("Chiamaka", "she/her"), ("Adaeze", "she/her"),
        ("Folake", "she/her"), ("Abena", "she/her"), ("Ama", "she/her"), ("Hodan", "she/her"),
        ("Ifrah", "she/her"), ("Chidi", "he/him"), ("Tunde", "he/him"), ("Kwame", "he/him"),
        ("Kofi", "he/him"), ("Abdi", "he/him"), ("Mohamed", "he/him"), ("Tendai", ""),
        ("Nia", "she/her"), ("Marcia", "she/her"), ("Sharon", "she/her"),
        ("Jacqueline", "she/her"), ("Delroy", "he/him"), ("Winston", "he/him"),
        ("Andre", "he/him"), ("Jermaine", "he/him"), ("Kemar", "he/him"),
        ("Shanice", "she/her"), ("Tyrone", "he/him"),
    ), (
        "Okafor", "Okonkwo", "Adeyemi", "Adebayo", "Oyelaran", "Mensah", "Boateng", "Asante",
        "Owusu", "Osei", "Abdullahi", "Farah", "Warsame", "Mohamud", "Moyo", "Ndlovu",
        "Banda", "Campbell-Reid", "Francis", "Thomas", "Grant", "Henry", "Bailey", "Spencer",
        "Morgan", "Edwards", "Gordon", "Richards",
    )),
    (2, (  # Chinese, Vietnamese, Filipino, Japanese
        ("Mei", "she/her"), ("Xin", ""), ("Wei", ""), ("Jun", ""), ("Ling", "she/her"),
        ("Hoa", "she/her"), ("Minh", "he/him"), ("Maricel", "she/her"), ("Joy", "she/her"),
        ("Hiroshi", "he/him"),
    ), (
        "Chen", "Wong", "Li", "Zhang", "Lam", "Cheung", "Nguyen", "Tran", "Santos", "Reyes",
        "Tanaka",
    )),
    (2, (  # Arab, Turkish, Kurdish, Iranian, Afghan
        ("Layla", "she/her"), ("Yasmin", "she/her"), ("Noor", "she/her"), ("Omar", "he/him"),
        ("Yusuf", "he/him"), ("Karim", "he/him"), ("Elif", "she/her"), ("Emre", "he/him"),
        ("Zeynep", "she/her"), ("Rezan", ""), ("Dara", ""), ("Shirin", "she/her"),
        ("Farid", "he/him"), ("Mariam", "she/her"), ("Ahmad", "he/him"),
    ), (
        "Haddad", "Mansour", "Saleh", "Yilmaz", "Demir", "Kaya", "Celik", "Rashidi", "Ahmadi",
        "Karimi", "Hosseini", "Barzani",
    )),
)

# Every first name (with usual pronouns) and last name, for supporters' names.
FIRST_NAMES: tuple[tuple[str, str], ...] = tuple(n for _, firsts, _ in NAME_GROUPS
                                                 for n in firsts)
LAST_NAMES: tuple[str, ...] = tuple(n for _, _, lasts in NAME_GROUPS for n in lasts)

# Postcode districts, by a few towns and cities in England. Only the
# district (the first half) is kept, to plan travel.
POSTCODE_AREAS: tuple[str, ...] = (
    "LS6", "LS8", "LS11", "BD3", "BD8", "HX1", "HD1", "WF1", "S2", "S11", "DN1",
    "M14", "M16", "M20", "OL1", "BL1", "WN1", "L8", "L15", "PR1", "BB1",
    "B10", "B12", "B21", "CV1", "WV1", "WS1", "NG7", "LE2", "LE5", "DE23",
    "NE4", "NE6", "SR1", "TS1", "DH1", "YO10", "HU3",
    "BS5", "BS3", "PL4", "EX4", "TR1", "GL1", "BA2",
    "E17", "E3", "N15", "SE15", "SW9", "W12", "NW10", "CR0", "HA0", "IG1", "RM1",
    "BN2", "SO14", "PO4", "RG1", "MK9", "LU1", "OX4", "CB1", "NR2", "IP4", "CO1",
)

# Invented community and user-led organisations (VCSEs); none is a real group.
ORGANISATIONS: tuple[tuple[str, bool], ...] = (
    ("Riverside Recovery College", False),
    ("Northgate Hearing Voices Group", True),
    ("Carers Together (Eastside)", True),
    ("Open Door Peer Support", True),
    ("The Lantern Crisis House", False),
    ("Hillview Advocacy Service", False),
    ("Sahara Women's Wellbeing Circle", True),
    ("Black Minds Matter Collective (local branch)", True),
    ("Millbrook Men's Shed", True),
    ("Rainbow Wellbeing Network", True),
    ("Parents of Young People in CAMHS (Southside)", True),
    ("Harbour Mental Health Forum", True),
    ("Westfield Polish Community Centre", False),
    ("Bridge Refugee Support", False),
)

PEER_EMPLOYERS: tuple[str, ...] = (
    "This trust (peer support worker)",
    "Open Door Peer Support",
    "Riverside Recovery College",
    "Harbour Mental Health Forum",
)

# Invented supporters for people who are contacted through someone else.
SUPPORTER_RELATIONS: tuple[str, ...] = (
    "sister", "brother", "mum", "dad", "partner", "son", "daughter", "advocate",
    "support worker", "friend",
)

LANGUAGES: tuple[str, ...] = (
    "Urdu", "Punjabi", "Bengali", "Gujarati", "Polish", "Romanian", "Arabic", "Somali",
    "Tigrinya", "Kurdish (Sorani)", "Farsi", "Cantonese", "Mandarin", "Portuguese", "Turkish",
)

# Sentences for "what I bring", in the person's own voice. Invented.
WHAT_I_BRING: tuple[str, ...] = (
    "I spent time on an acute ward a few years ago and I want the next person to feel listened to.",
    "I cared for my son through several admissions. I know how hard it is to be kept in the loop.",
    "I have used community services for most of my adult life and I notice the small things "
    "that make a difference.",
    "I was detained under the Mental Health Act when I was 19. I now help run a peer group.",
    "As a carer for my mum I learnt a lot about how services talk to families.",
    "I am good at reading long documents and saying what is missing.",
    "I like helping people find their voice in meetings, especially people who are new.",
    "I have been on interview panels before and enjoy asking the questions that matter to "
    "patients.",
    "My experience of a mother and baby unit shaped how I think about care for new parents.",
    "I bring a calm approach and a bit of humour.",
    "I know what it is like to be a young person in CAMHS and then move to adult services.",
    "I speak two languages and can help make information clearer for my community.",
    "I am autistic and can help make meetings work better for people who think like me.",
    "I have been through the crisis team several times and have ideas about what helps.",
    "I worked in retail for years, so I am used to talking to all sorts of people.",
    "I care for my brother, who lives in supported accommodation, and I want families to be heard.",
)

ADJUSTMENT_NOTES: tuple[str, ...] = (
    "Please send papers a week ahead if possible.",
    "A seat near the door helps.",
    "Short breaks every 45 minutes.",
    "Prefers a phone call the day before to go over the plan.",
    "Please check in after meetings that cover restraint.",
    "Uses a wheelchair; check the lift is working.",
)

ADJUSTMENTS_OTHER: tuple[str, ...] = (
    "Meetings after 11am work best because of medication in the morning.",
    "Would like to bring their assistance dog.",
    "Finds bright strip lighting hard; a lamp or natural light helps.",
    "Likes to have the questions in writing before an interview panel.",
)

AVAILABILITY_NOTES: tuple[str, ...] = (
    "Not available in school holidays.",
    "Works part time on Mondays and Tuesdays.",
    "Can do evenings if online.",
    "Avoid Fridays during Ramadan.",
    "Needs to be home by 3pm for the school run.",
)

BEST_TIMES: tuple[str, ...] = (
    "Weekday mornings", "After 2pm", "Evenings are best", "Any time except Wednesdays",
    "Between 10am and 12pm",
)

TRAINING_PROVIDERS: tuple[str, ...] = (
    "Trust learning and development team",
    "Riverside Recovery College",
    "Open Door Peer Support",
    "Online course",
)
