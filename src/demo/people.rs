//! Who runs and joins each demo forum: people with personal names (Welsh
//! ones in Wales), member organisations named as local charities are, and
//! the town and venue the forum meets in.

/// One region's cast.
pub struct Cast {
    pub code: &'static str,
    /// The town its member organisations work from.
    pub town: &'static str,
    /// Where the forum meets.
    pub venue: &'static str,
    /// The forum's secretary, its chair, the RPD's Head of Reducing
    /// Reoffending, and an observer from the Police and Crime
    /// Commissioner's office.
    pub officers: [&'static str; 4],
    /// The names of the four member organisations, in the order of
    /// [`super::data::ORGANISATIONS`]: a women's centre, a lived-experience
    /// network, the large supply-chain provider, and a youth collective
    /// whose application is pending.
    pub organisations: [&'static str; 4],
    /// The person who speaks for each of them, in the same order.
    pub members: [&'static str; 4],
}

pub const CASTS: [Cast; 12] = [
    Cast {
        code: "north-east",
        town: "Sunderland",
        venue: "Sunderland Volunteer Centre, Norfolk Street",
        officers: [
            "Karen Robson",
            "Michael Charlton",
            "Joanne Milburn",
            "Stephen Dodds",
        ],
        organisations: [
            "Sunderland Women's Centre",
            "Wearside Lived Experience Network",
            "Northern Rehabilitation Partnership",
            "Wearside Young Black Men's Project",
        ],
        members: [
            "Leanne Forster",
            "Paul Armstrong",
            "Gemma Hutchinson",
            "Daniel Okafor",
        ],
    },
    Cast {
        code: "north-west",
        town: "Preston",
        venue: "Preston Community Resource Centre",
        officers: [
            "Helen Whittaker",
            "Imran Patel",
            "Rachel Ashworth",
            "Gary Holden",
        ],
        organisations: [
            "Preston Women's Centre",
            "Lancashire Peer Mentors",
            "North West Resettlement Trust",
            "Preston Black Youth Collective",
        ],
        members: [
            "Claire Bamber",
            "Lee Harrison",
            "Natalie Crossley",
            "Tyrone Campbell",
        ],
    },
    Cast {
        code: "greater-manchester",
        town: "Salford",
        venue: "Salford Community Hub, Chapel Street",
        officers: [
            "Sarah Kenyon",
            "Mohammed Iqbal",
            "Louise Fitzgerald",
            "Chris Brennan",
        ],
        organisations: [
            "Salford Women's Centre",
            "Greater Manchester Lived Experience Network",
            "Pathways Manchester",
            "Moss Side Youth Collective",
        ],
        members: [
            "Amy Tattersall",
            "Dean Horrocks",
            "Shabana Akhtar",
            "Marcus Bailey",
        ],
    },
    Cast {
        code: "yorkshire-humber",
        town: "Hull",
        venue: "Hull Community Voluntary Services, Wilberforce Court",
        officers: [
            "Julie Ackroyd",
            "Andrew Sowerby",
            "Farah Hussain",
            "Neil Fenton",
        ],
        organisations: [
            "Hull Women's Centre",
            "Humber Peer Voices",
            "Yorkshire Resettlement Partnership",
            "Hull Black Youth Collective",
        ],
        members: [
            "Kirsty Dalton",
            "Ryan Hebden",
            "Nadia Rahman",
            "Jerome Walker",
        ],
    },
    Cast {
        code: "east-midlands",
        town: "Leicester",
        venue: "Voluntary Action Leicester, Town Hall Square",
        officers: [
            "Anjali Mistry",
            "Richard Bramley",
            "Kate Wainwright",
            "Simon Pritchard",
        ],
        organisations: [
            "Leicester Women's Centre",
            "Leicester Lived Experience Network",
            "Midlands Pathways Trust",
            "Highfields Youth Collective",
        ],
        members: [
            "Jasvinder Kaur",
            "Mark Sutton",
            "Lisa Marriott",
            "Andre Francis",
        ],
    },
    Cast {
        code: "west-midlands",
        town: "Wolverhampton",
        venue: "Wolverhampton Voluntary Sector Council, Paycare House",
        officers: [
            "Amandeep Sandhu",
            "Tracey Bennett",
            "David Oakley",
            "Sandra Price",
        ],
        organisations: [
            "Wolverhampton Women's Centre",
            "Black Country Peer Mentors",
            "West Midlands Resettlement Partnership",
            "Wolverhampton Black Youth Collective",
        ],
        members: [
            "Gurpreet Gill",
            "Wayne Cartwright",
            "Michelle Rowley",
            "Kwame Mensah",
        ],
    },
    Cast {
        code: "east-of-england",
        town: "Norwich",
        venue: "The Forum, Millennium Plain, Norwich",
        officers: [
            "Fiona Blake",
            "Peter Gooch",
            "Hannah Youngs",
            "Robert Thirtle",
        ],
        organisations: [
            "Norwich Women's Centre",
            "Norfolk Lived Experience Network",
            "Eastern Pathways Trust",
            "Norwich Black Youth Collective",
        ],
        members: [
            "Emma Larwood",
            "Jamie Pegg",
            "Sophie Catchpole",
            "Emmanuel Adeyemi",
        ],
    },
    Cast {
        code: "london",
        town: "Lambeth",
        venue: "Brixton Community Base, Talma Road",
        officers: ["Grace Adebayo", "Tom Hennessy", "Priya Shah", "Aaron Levy"],
        organisations: [
            "Lambeth Women's Centre",
            "South London Peer Mentors",
            "London Resettlement Partnership",
            "Brixton Black Youth Collective",
        ],
        members: [
            "Chloe Martin",
            "Dwayne Thomas",
            "Fatima Begum",
            "Kofi Asante",
        ],
    },
    Cast {
        code: "kent-surrey-sussex",
        town: "Maidstone",
        venue: "Maidstone Community Support Centre, Marsham Street",
        officers: [
            "Catherine Hollands",
            "James Fairweather",
            "Nicola Birch",
            "Martin Stroud",
        ],
        organisations: [
            "Maidstone Women's Centre",
            "Kent Lived Experience Network",
            "South East Pathways Trust",
            "Medway Black Youth Collective",
        ],
        members: [
            "Joanne Pellett",
            "Darren Cheeseman",
            "Harpreet Dhillon",
            "Jordan Mitchell",
        ],
    },
    Cast {
        code: "south-central",
        town: "Southampton",
        venue: "Southampton Voluntary Services, Kingsland Square",
        officers: [
            "Alison Fry",
            "Graham Spencer",
            "Rebecca Naylor",
            "Tim Hollis",
        ],
        organisations: [
            "Southampton Women's Centre",
            "Hampshire Peer Mentors",
            "South Central Resettlement Partnership",
            "Southampton Black Youth Collective",
        ],
        members: [
            "Vicky Cresswell",
            "Shaun Boyce",
            "Ayesha Malik",
            "Tyrese Greene",
        ],
    },
    Cast {
        code: "south-west",
        town: "Plymouth",
        venue: "Plymouth Guildhall, Armada Way",
        officers: [
            "Jenny Trewin",
            "Philip Rowe",
            "Clare Penhaligon",
            "Ian Northcott",
        ],
        organisations: [
            "Plymouth Women's Centre",
            "Devon Lived Experience Network",
            "South West Pathways Trust",
            "Plymouth Black Youth Collective",
        ],
        members: ["Donna Hext", "Kevin Yeo", "Laura Pascoe", "Malik Osei"],
    },
    Cast {
        code: "wales",
        town: "Swansea",
        venue: "Canolfan Gymunedol, Swansea",
        officers: [
            "Catrin Jones",
            "Dafydd Williams",
            "Siân Hughes",
            "Gareth Morgan",
        ],
        organisations: [
            "Swansea Women's Centre",
            "Llwybrau Newydd Peer Mentors",
            "Wales Resettlement Partnership",
            "Cardiff Black Youth Collective",
        ],
        members: ["Ffion Davies", "Rhys Evans", "Elin Roberts", "Tomos Pryce"],
    },
];

/// The cast of the region with this code; every region has one.
pub fn cast(code: &str) -> &'static Cast {
    CASTS
        .iter()
        .find(|c| c.code == code)
        .unwrap_or(&CASTS[CASTS.len() - 1])
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Every name is a person's first and last name, no one is named twice,
    /// and none begins with a role ("Rpd …", "Secretary …").
    #[test]
    fn every_person_has_a_personal_name_of_their_own() {
        let names: Vec<&str> = CASTS
            .iter()
            .flat_map(|c| c.officers.iter().chain(&c.members))
            .copied()
            .collect();
        let distinct: HashSet<&str> = names.iter().copied().collect();

        assert_eq!(names.len(), 96);
        assert_eq!(distinct.len(), names.len(), "a name used twice");
        for name in names {
            assert_eq!(name.split(' ').count(), 2, "{name}");
            let first = name.split(' ').next().unwrap_or_default().to_lowercase();
            assert!(
                ![
                    "rpd",
                    "secretary",
                    "chair",
                    "member",
                    "observer",
                    "admin",
                    "demo"
                ]
                .contains(&first.as_str()),
                "{name}"
            );
        }
    }

    #[test]
    fn every_region_has_its_own_cast() {
        let codes: HashSet<&str> = CASTS.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), 12);
        assert_eq!(cast("wales").officers[0], "Catrin Jones");
    }
}
