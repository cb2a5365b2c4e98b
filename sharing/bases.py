"""Lawful-basis catalogue for sharing: UK GDPR Articles 6, 9 and 10, DPA 2018 Part 3.

The keys are stored in the database; the labels are shown on forms and pages.
Schedule 1 and Schedule 8 paragraph numbers are those of the Data Protection
Act 2018.
"""

ART6_BASES = {
    "a_consent": "6(1)(a) consent",
    "b_contract": "6(1)(b) contract",
    "c_legal_obligation": "6(1)(c) legal obligation",
    "d_vital_interests": "6(1)(d) vital interests",
    "e_public_task": "6(1)(e) public task",
    "ea_recognised_legitimate_interest": "6(1)(ea) recognised legitimate interest",
    "f_legitimate_interests": "6(1)(f) legitimate interests",
}

# As amended by the Data (Use and Access) Act 2025 s.70, a public authority
# cannot rely on (ea) or (f) for processing it carries out to perform its tasks.
PUBLIC_TASK_EXCLUDED_ART6 = frozenset(
    {"ea_recognised_legitimate_interest", "f_legitimate_interests"}
)

ART9_CONDITIONS = {
    "a_explicit_consent": "9(2)(a) explicit consent",
    "b_employment_social_security": "9(2)(b) employment, social security and social protection",
    "c_vital_interests": "9(2)(c) vital interests",
    "d_not_for_profit": "9(2)(d) not-for-profit bodies",
    "e_made_public": "9(2)(e) made public by the data subject",
    "f_legal_claims_judicial": "9(2)(f) legal claims or judicial acts",
    "g_substantial_public_interest": "9(2)(g) reasons of substantial public interest",
    "h_health_social_care": "9(2)(h) health or social care",
    "i_public_health": "9(2)(i) public health",
    "j_archiving_research_statistics": "9(2)(j) archiving, research and statistics",
}

SCHEDULE_1_PART_1 = {
    "1": "Sch 1 para 1: employment, social security and social protection",
    "2": "Sch 1 para 2: health or social care purposes",
    "3": "Sch 1 para 3: public health",
    "4": "Sch 1 para 4: research and statistics",
}

SCHEDULE_1_PART_2 = {
    "6": "Sch 1 para 6: statutory and government purposes",
    "7": "Sch 1 para 7: administration of justice and parliamentary purposes",
    "8": "Sch 1 para 8: equality of opportunity or treatment",
    "9": "Sch 1 para 9: racial and ethnic diversity at senior levels",
    "10": "Sch 1 para 10: preventing or detecting unlawful acts",
    "11": "Sch 1 para 11: protecting the public",
    "12": "Sch 1 para 12: regulatory requirements",
    "13": "Sch 1 para 13: journalism in connection with unlawful acts",
    "14": "Sch 1 para 14: preventing fraud",
    "15": "Sch 1 para 15: suspicion of terrorist financing or money laundering",
    "16": "Sch 1 para 16: support for people with a disability or medical condition",
    "17": "Sch 1 para 17: counselling",
    "18": "Sch 1 para 18: safeguarding of children and individuals at risk",
    "19": "Sch 1 para 19: safeguarding of economic well-being",
    "20": "Sch 1 para 20: insurance",
    "21": "Sch 1 para 21: occupational pensions",
    "22": "Sch 1 para 22: political parties",
    "23": "Sch 1 para 23: elected representatives responding to requests",
    "24": "Sch 1 para 24: disclosure to elected representatives",
    "25": "Sch 1 para 25: informing elected representatives about prisoners",
    "26": "Sch 1 para 26: publication of legal judgments",
    "27": "Sch 1 para 27: anti-doping in sport",
    "28": "Sch 1 para 28: standards of behaviour in sport",
}

SCHEDULE_1_PART_3 = {
    "29": "Sch 1 para 29: consent",
    "30": "Sch 1 para 30: protecting the individual's vital interests",
    "31": "Sch 1 para 31: not-for-profit bodies",
    "32": "Sch 1 para 32: made public by the data subject",
    "33": "Sch 1 para 33: legal claims",
    "34": "Sch 1 para 34: judicial acts",
    "35": "Sch 1 para 35: accounts used in indecency offences involving children",
    "36": "Sch 1 para 36: extension of the Part 2 conditions",
    "37": "Sch 1 para 37: extension of the insurance conditions",
}

SCHEDULE_1 = SCHEDULE_1_PART_1 | SCHEDULE_1_PART_2 | SCHEDULE_1_PART_3

# Article 9 conditions that work only with a Schedule 1 condition, and which
# paragraphs each accepts: (b), (h), (i) and (j) need Part 1, (g) needs Part 2.
ART9_NEEDS_SCHEDULE_1 = {
    "b_employment_social_security": frozenset({"1"}),
    "h_health_social_care": frozenset({"2"}),
    "i_public_health": frozenset({"3"}),
    "j_archiving_research_statistics": frozenset({"4"}),
    "g_substantial_public_interest": frozenset(SCHEDULE_1_PART_2),
}

ART10_BASES = {
    "official_authority": "Under official authority (name the law)",
    "schedule_1": "A Schedule 1 condition",
}

LE_BASES = {
    "consent": "s.35(2)(a) consent of the data subject",
    "le_task": "s.35(2)(b) necessary for a law enforcement task of a competent authority",
}

SCHEDULE_8_CONDITIONS = {
    "1": "Sch 8 para 1: statutory purposes",
    "2": "Sch 8 para 2: administration of justice",
    "3": "Sch 8 para 3: protecting vital interests",
    "4": "Sch 8 para 4: safeguarding children and individuals at risk",
    "5": "Sch 8 para 5: personal data already in the public domain",
    "6": "Sch 8 para 6: legal claims",
    "7": "Sch 8 para 7: judicial acts",
    "8": "Sch 8 para 8: preventing fraud",
    "9": "Sch 8 para 9: archiving, research and statistics",
}

SPECIAL_CATEGORIES = {
    "racial_ethnic": "Racial or ethnic origin",
    "political": "Political opinions",
    "religious": "Religious or philosophical beliefs",
    "trade_union": "Trade union membership",
    "genetic": "Genetic data",
    "biometric": "Biometric data used to identify someone",
    "health": "Health",
    "sex_life": "Sex life or sexual orientation",
}
