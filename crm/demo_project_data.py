"""The words and shapes of the demo projects: partner organisations, wards,
projects and roles (with their plain and Easy Read descriptions and who is
offered what), read by ``crm.demo_projects``, which writes them. Invented,
like all demo data."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from crm.matching.models import OfferStatus
from crm.projects import models as pm
from crm.projects.models import OrganisationKind, ProjectStatus, RoleStatus

PROJECTS_SEED = 2027
LONDON = ZoneInfo("Europe/London")
PART_ENDS = (("morning", 12 * 60), ("afternoon", 17 * 60), ("evening", 24 * 60))
HQ = "Trust headquarters, Quayside House, board room (step-free, hearing loop)"
COLLEGE = "Riverside Recovery College, Studio 2"
A, OF, W = OfferStatus.ACCEPTED, OfferStatus.OFFERED, OfferStatus.WAITING
D, N, X = OfferStatus.DECLINED, OfferStatus.NOT_THIS_TIME, OfferStatus.WITHDRAWN
E, Q = OfferStatus.EXPIRED, OfferStatus.DROPPED_OUT
K = OrganisationKind

ORGANISATIONS = (  # name, kind, communities, website, active
    ("Harbourside NHS Foundation Trust", K.TRUST,
     "Everyone who uses the trust's mental health services, and their families.",
     "https://harbourside-nhs.example", True),
    ("Riverside Recovery College", K.RECOVERY_COLLEGE,
     "Adults who want to learn about recovery, with courses written by peers.",
     "https://riverside-recovery.example", True),
    ("Northgate Hearing Voices Group", K.USER_LED,
     "People who hear voices or see visions, run by people who do.", None, True),
    ("Carers Together (Eastside)", K.VCSE,
     "Unpaid carers and family members of people using mental health services.",
     "https://carers-together.example", True),
    ("Open Door Peer Support", K.PEER_SUPPORT,
     "People leaving hospital, matched with a peer supporter.", None, True),
    ("Harbour Mental Health Forum", K.USER_LED,
     "Anyone with lived experience in the Harbour area; meets monthly.", None, True),
    ("Black Minds Matter Collective (local branch)", K.USER_LED,
     "Black people and their families with experience of mental health services.",
     None, True),
    ("Westfield Polish Community Centre", K.VCSE,
     "Polish-speaking families; help with interpreting and forms.", None, True),
    ("Millbrook Men's Shed", K.OTHER,
     "Men who want to meet, make things and talk. Not meeting at present.", None, False),
)

# name, site, district, service kind, what the room provides, room note
WARDS: tuple[tuple[str, str, str, str, list[str], str | None], ...] = (
    ("Willow Ward", "Harbourside Hospital", "LS6", "acute_adult_ward",
     ["step_free_access", "accessible_toilet", "natural_light", "quiet_room", "hearing_loop"],
     "Ground-floor meeting room next to the garden."),
    ("Beech Ward", "Harbourside Hospital", "LS6", "picu",
     ["step_free_access", "accessible_toilet", "low_background_noise"],
     "Small room off the main corridor. The windows do not open."),
    ("Rowan Ward", "Eastfield Unit", "LS8", "older_adults",
     ["step_free_access", "accessible_toilet", "hearing_loop", "choice_of_chairs",
      "steady_temperature", "large_print"], "Day room, booked for meetings on weekdays."),
    ("Skylark Unit", "Eastfield Unit", "LS8", "camhs_inpatient",
     ["natural_light", "quiet_room", "fidget_toys", "food_served_elsewhere"],
     "Family room by the entrance, away from the young people's bedrooms."),
    ("Hazel Ward", "Millbrook Centre", "BD3", "eating_disorders",
     ["food_served_elsewhere", "quiet_room", "step_free_access"], None),
    ("Oak House", "Millbrook Centre", "BD3", "rehabilitation", [],
     "Upstairs room with no lift. Ask, and we book the ground-floor room instead."),
)

PROJECTS: tuple[tuple[str, str, list[str], ProjectStatus, int, int, bool, str, str],
                ...] = (  # key, title, wards, status, starts, ends, led by the coordinator, texts
    ("willow", "Culture of Care on Willow Ward", ["Willow Ward"], ProjectStatus.ACTIVE,
     -120, 240, True,
     "Patients, families and staff work together to make Willow Ward a kinder place to "
     "stay. The team looks at what happens each day and tries small changes.",
     "We want Willow Ward to feel kind and safe. Patients, families and staff work "
     "together. We try small changes."),
    ("beech", "Safer nights on Beech Ward", ["Beech Ward"], ProjectStatus.ACTIVE,
     -60, 180, True,
     "Nights on Beech Ward can be loud and tense. We ask people who stayed there what "
     "would help them sleep and feel safe, and we act on what they say.",
     "Nights on the ward can be hard. We ask what helps you sleep. We make changes."),
    ("food", "Food and mealtimes at Millbrook", ["Hazel Ward", "Oak House"],
     ProjectStatus.ACTIVE, -30, 150, True,
     "People on Hazel Ward and at Oak House help plan meals and mealtimes, so food "
     "feels less stressful and more like home.",
     "We want mealtimes to feel calm. You help us plan the food and the times."),
    ("recruit", "Choosing our new ward managers", [], ProjectStatus.ACTIVE, -45, 90, False,
     "People with lived experience sit on every panel that picks a new ward manager. "
     "We train them first.",
     "We need new ward managers. You help pick them. We train you first."),
    ("quality", "Lived experience on the quality committee", [], ProjectStatus.ACTIVE,
     -90, 300, True,
     "People with lived experience lead our advisory group. They also sit on the "
     "committee that makes big choices about care.",
     "You help make big choices about care. You sit with the people in charge."),
    ("welcome", "Welcome pack for Skylark Unit", ["Skylark Unit"], ProjectStatus.FINISHED,
     -300, -40, True,
     "Young people and families wrote a new welcome pack for the unit, with photos of "
     "the rooms and the staff.",
     "Young people and families made a new welcome pack. It has photos."),
    ("garden", "Rowan Ward garden", ["Rowan Ward"], ProjectStatus.PLANNING, 30, 200, True,
     "Older people on Rowan Ward and their families will plan a garden they can use "
     "all year.",
     "We want to make a garden. You help us plan it."),
    ("visiting", "Visiting times on Rowan Ward", ["Rowan Ward"], ProjectStatus.CANCELLED,
     -200, -140, False,
     "A review of visiting times. Stopped, because the trust changed visiting times "
     "for every ward at once.",
     "We stopped this work. The times changed for every ward."),
)

ALL, PATIENTS, FAMILY = (["patient_former", "carer", "family_member"],
                         ["patient_former", "patient_current"], ["carer", "family_member"])


@dataclass(frozen=True)
class RoleSpec:
    """One demo role. ``sessions`` are (days from today, weekday 0=Monday,
    London "HH:MM", minutes, place: "ward", "online", or a venue; a leading
    "x" marks a cancelled session). ``plan`` is the offers, in reply order;
    ``kit`` the demo contributor's own offer and ``kit_interested`` their
    "I'm interested", each only where they meet the role's rules.
    ``outcomes`` cycle over the people at past sessions."""

    project: str
    title: str
    kind: str
    level: str
    places: int
    fee: str | None
    status: RoleStatus
    closes: int
    sessions: tuple[tuple[int, int, str, int, str], ...]
    description: str
    easy: str
    mode: str = "either"
    experience: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    training: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    plan: tuple[OfferStatus, ...] = ()
    kit: OfferStatus | None = None
    offered: int = -12
    questions: int = 0
    interest: int = 0
    kit_interested: bool = False
    outcomes: tuple[str, ...] = ("attended",)


def _every(first: int, last: int, step: int, weekday: int, time: str, minutes: int,
           place: str) -> tuple[tuple[int, int, str, int, str], ...]:
    return tuple((d, weekday, time, minutes, place) for d in range(first, last + 1, step))


INPATIENT, WORKS = pm.ConflictRule.INPATIENT_ON_WARD.value, pm.ConflictRule.WORKS_ON_WARD.value
ROLES = (
    RoleSpec("willow", "Project team member, Willow Ward", "project_team_member",
             "co_production", 3, "tier_50", RoleStatus.FILLED, -110,
             _every(-98, 70, 14, 1, "14:00", 120, "ward"),
             "Join the Willow Ward project team. We meet every two weeks on the ward to "
             "talk about ward life and agree what to try next.",
             "You join a team. We meet every two weeks. We talk about the ward. "
             "We pick what to change.",
             mode="in_person", experience=ALL,
             skills=["quality_improvement", "service_design"], conflicts=[INPATIENT, WORKS],
             plan=(A, A, A, D, N, Q, W, W), offered=-125),
    RoleSpec("willow", "Ward community meeting co-host", "ward_meeting_participant",
             "co_design", 2, "tier_25", RoleStatus.OPEN, 12,
             ((21, 3, "10:30", 60, "ward"), (35, 3, "10:30", 60, "ward")),
             "Help a nurse run the weekly ward meeting. Patients say what is going well "
             "on the ward and what is not.",
             "You help run a ward meeting. Patients say what is good. They say what is "
             "not good.", mode="in_person", experience=ALL, conflicts=[INPATIENT, WORKS],
             plan=(A, OF, OF, X), offered=-6, questions=1, interest=3),
    RoleSpec("willow", "Your views on the new ward notice board", "focus_group_participant",
             "information_feedback", 8, None, RoleStatus.OPEN, 18,
             ((28, 2, "13:00", 60, "online"),),
             "Look at a draft of the new notice board for Willow Ward and tell us if it "
             "is clear. One hour, online. This one is unpaid.",
             "Look at our new notice board. Tell us if it is clear. It takes one hour. "
             "It is online.", plan=(A, OF, OF), kit=OF, offered=-4, interest=4),
    RoleSpec("beech", "Safer nights focus group", "focus_group_participant", "consultation",
             6, "tier_25", RoleStatus.CLOSED, -50,
             ((-40, 0, "11:00", 90, "ward"), (-33, 0, "11:00", 90, "xward")),
             "A small group of people who have stayed on a ward talk about nights: noise, "
             "light, checks, and what helps.",
             "We talk about nights on the ward. What helps you sleep?",
             mode="in_person", experience=PATIENTS, conflicts=[INPATIENT],
             plan=(A, A, A, A, E, E, D), offered=-60,
             outcomes=("attended", "did_not_attend", "attended", "left_early")),
    RoleSpec("beech", "Complaints and feedback reviewer", "complaints_feedback_reviewer",
             "co_design", 2, "tier_50", RoleStatus.OPEN, 14,
             ((24, 4, "10:00", 120, "online"), (52, 4, "10:00", 120, "online")),
             "Read what people said about the ward in the last three months, good and bad. "
             "Names are taken out. Then say what the ward should learn.",
             "You read what people said about the ward. Names are taken out. "
             "You tell us what to change.", mode="online",
             training=["information_governance"],
             skills=["reviewing_complaints_and_feedback", "reviewing_documents"],
             plan=(A, OF), offered=-8, interest=2),
    RoleSpec("food", "Mealtimes reference group", "reference_group_member", "co_design", 4,
             "tier_50", RoleStatus.OPEN, 8,
             ((-9, 2, "14:00", 120, "ward"), (19, 2, "14:00", 120, "ward"),
              (47, 2, "14:00", 120, "ward")),
             "Meet with the catering team and ward staff to plan menus and mealtimes.",
             "You help plan the food. You help plan when we eat.", experience=ALL,
             services=["eating_disorders", "rehabilitation"], conflicts=[INPATIENT, WORKS],
             plan=(A, A, OF, D), offered=-20, questions=1, interest=2, kit_interested=True,
             outcomes=("attended", "left_early")),
    RoleSpec("food", "Activity planner, Oak House", "activity_planner", "co_production", 2,
             "tier_25", RoleStatus.DRAFT, 40, ((50, 1, "10:00", 60, "ward"),),
             "Plan a cooking club for Oak House with staff and residents.",
             "You help plan a cooking club.", mode="in_person"),
    RoleSpec("recruit", "Interview panel: ward manager, Willow Ward",
             "interview_panel_member", "co_production", 2, "tier_75", RoleStatus.OPEN, 15,
             ((28, 0, "09:00", 180, HQ),),
             "Sit on the panel that interviews for the new Willow Ward manager. You read "
             "the papers, ask questions and score answers.",
             "You help pick a new ward manager. You ask questions. You give scores.",
             mode="in_person", training=["recruitment_panel"], skills=["interview_panels"],
             plan=(A, OF, N, W), offered=-5, interest=2),
    RoleSpec("recruit", "Interview panel: ward manager, Beech Ward",
             "interview_panel_member", "co_production", 2, "tier_75", RoleStatus.FILLED, -5,
             ((10, 3, "09:00", 180, HQ),),
             "Sit on the panel that interviews for the new Beech Ward manager.",
             "You help pick a new ward manager.", mode="in_person",
             training=["recruitment_panel"], skills=["interview_panels"],
             plan=(A, A, D, E, X), offered=-19),
    RoleSpec("recruit", "Co-trainer: recruitment panel training", "trainer",
             "co_production", 1, "tier_150", RoleStatus.CLOSED, -40,
             ((-30, 2, "09:30", 360, COLLEGE),),
             "Teach a one-day panel course with a trust trainer. You share what it is "
             "like to sit on a panel.",
             "You help teach a class. It is a full day.", mode="in_person",
             training=["recruitment_panel"], skills=["training_delivery"], plan=(A,),
             offered=-55),
    RoleSpec("quality", "Co-chair, lived experience advisory group", "co_chair",
             "leadership_governance", 1, "tier_300", RoleStatus.OPEN, 25,
             ((35, 1, "13:30", 180, HQ), (63, 1, "13:30", 180, HQ)),
             "Run the advisory group with the head of nursing, as equals. You plan each "
             "meeting together.",
             "You lead a group with a manager. You plan the meetings together.",
             experience=["patient_former", "carer"], skills=["chairing",
                                                             "governance_and_committees"],
             plan=(OF, OF), offered=-3, questions=1, interest=3, kit_interested=True),
    RoleSpec("quality", "Lived experience member, quality and safety committee",
             "community_organisation_representative", "leadership_governance", 2,
             "tier_150", RoleStatus.FILLED, -70, _every(-42, 42, 28, 3, "09:30", 150, HQ),
             "Bring the views of people who use our services to the group that checks "
             "care is safe and good in every ward.",
             "You join a group that checks care is safe and good.",
             plan=(A, D), kit=A, offered=-80),
    RoleSpec("welcome", "Welcome pack co-writer", "reference_group_member", "co_design", 3,
             "tier_50", RoleStatus.CLOSED, -210,
             ((-190, 0, "14:00", 120, "ward"), (-176, 0, "14:00", 120, "ward"),
              (-162, 0, "14:00", 120, "ward"), (-60, 0, "14:00", 120, "online")),
             "Write the new welcome pack with young people and staff: what to bring, who "
             "is who, and what a day looks like.",
             "You help write a welcome pack. It says what a day on the unit is like.",
             experience=ALL, services=["camhs_inpatient", "camhs_community"],
             skills=["writing", "accessible_information"], conflicts=[INPATIENT],
             plan=(A, A, A, D, N), offered=-220,
             outcomes=("attended", "attended", "left_early", "attended", "did_not_attend")),
    RoleSpec("garden", "Garden design group", "activity_planner", "co_design", 4, None,
             RoleStatus.DRAFT, 60, ((75, 1, "11:00", 90, "ward"), (89, 1, "11:00", 90, "ward")),
             "Plan the new garden with patients, families and the estates team.",
             "You help plan a garden. It is unpaid.", mode="in_person"),
    RoleSpec("visiting", "Visiting times group", "focus_group_participant", "consultation", 6,
             "tier_25", RoleStatus.CANCELLED, -165, ((-150, 3, "14:00", 90, "xward"),),
             "Talk about visiting times on Rowan Ward.",
             "We ask you about visiting times.", plan=(X, X), offered=-175),
)

QUESTIONS = ("Is there somewhere quiet I can sit if I need a break?",
             "Can I bring my support worker with me the first time?",
             "Will the papers come in large print?")
