//! Danish names for the demo, with æ, ø and å on purpose: they must survive in names and titles
//! and must never leak into sourcedIds or user names.

use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// Boys' and men's given names.
pub(super) const GIVEN_MALE: &[&str] = &[
    "Anders",
    "Søren",
    "Jens",
    "Niels",
    "Lars",
    "Peter",
    "Mads",
    "Rasmus",
    "Mikkel",
    "Frederik",
    "Oliver",
    "William",
    "Noah",
    "Lucas",
    "Emil",
    "Magnus",
    "Victor",
    "Malthe",
    "Aksel",
    "Carl",
    "Bjørn",
    "Jørgen",
    "Asger",
    "Øjvind",
    "Ebbe",
    "Thor",
    "Storm",
    "Johan",
    "August",
    "Valdemar",
    "Elias",
    "Alfred",
    "Oscar",
    "Christian",
    "Mathias",
    "Kasper",
    "Jonas",
    "Tobias",
    "Morten",
    "Kåre",
    "Bo",
    "Æskild",
    "Holger",
    "Villads",
    "Halfdan",
];

/// Girls' and women's given names.
pub(super) const GIVEN_FEMALE: &[&str] = &[
    "Anne", "Mette", "Sofie", "Ida", "Emma", "Freja", "Clara", "Ella", "Alma", "Agnes", "Karla",
    "Laura", "Ellen", "Olivia", "Josefine", "Nanna", "Signe", "Maja", "Astrid", "Åse", "Bodil",
    "Birgitte", "Lærke", "Kirstine", "Marie", "Hanne", "Lone", "Pernille", "Helle", "Rikke",
    "Tove", "Inger", "Dorthe", "Gry", "Liv", "Merete", "Trine", "Vibeke", "Mathilde", "Sølvi",
    "Søs", "Grethe", "Bente", "Dagmar",
];

/// Family names, the common -sen names and some with Danish letters.
pub(super) const FAMILY: &[&str] = &[
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Mikkelsen",
    "Frederiksen",
    "Laursen",
    "Henriksen",
    "Lund",
    "Schmidt",
    "Eriksen",
    "Holm",
    "Kristiansen",
    "Clausen",
    "Simonsen",
    "Svendsen",
    "Andreasen",
    "Iversen",
    "Jeppesen",
    "Mogensen",
    "Vestergaard",
    "Nørgaard",
    "Østergaard",
    "Søndergaard",
    "Mølgaard",
    "Ærø",
    "Bæk",
    "Kjær",
    "Dalsgaard",
    "Bøgh",
    "Højgaard",
    "Brøndum",
    "Grønbæk",
    "Skovgård",
    "Fæster",
    "Lykkegård",
    "Hjørth",
    "Damgaard",
    "Krøyer",
    "Blåbjerg",
];

/// First parts of school names ("Åby" + "skolen").
const SCHOOL_PREFIX: &[&str] = &[
    "Åby",
    "Søndervang",
    "Nørre",
    "Skovvang",
    "Højvang",
    "Bække",
    "Eng",
    "Strand",
    "Kær",
    "Ølsted",
    "Tranbjerg",
    "Viby",
    "Holme",
    "Lystrup",
    "Elev",
    "Skæring",
    "Hasle",
    "Møllevang",
    "Rundhøj",
    "Vorrevang",
    "Ellekær",
    "Bøgehøj",
    "Lindegård",
    "Frydenlund",
    "Rosenvang",
    "Egebjerg",
    "Kirkebakke",
    "Æblehave",
    "Ørnebjerg",
    "Solbjerg",
    "Hårby",
    "Fælled",
    "Sønderbro",
    "Vestervang",
    "Østervang",
    "Næshøj",
    "Grønløkke",
    "Bjørnkær",
    "Lærkevang",
    "Havbakke",
];

/// Picks one name; the lists are never empty, so the fallback is unreachable in practice.
pub(super) fn pick(rng: &mut ChaCha8Rng, list: &[&'static str]) -> &'static str {
    list.choose(rng).copied().unwrap_or("Jensen")
}

/// The name of the `index`-th school; distinct for every index.
pub(super) fn school_name(index: usize) -> String {
    let prefix = SCHOOL_PREFIX[index % SCHOOL_PREFIX.len()];
    match index / SCHOOL_PREFIX.len() {
        0 => format!("{prefix}skolen"),
        round => format!("{prefix}skolen, afd. {}", round + 1),
    }
}

/// Lower-case ASCII for user names, spelling æ/ø/å the way Danish systems do (ae, oe, aa).
pub(super) fn ascii_fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'é' | 'è' => out.push('e'),
            'ü' => out.push('u'),
            'ö' => out.push_str("oe"),
            'ä' => out.push_str("ae"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_danish_letters() {
        assert_eq!(ascii_fold("Søren"), "soeren");
        assert_eq!(ascii_fold("Åse"), "aase");
        assert_eq!(ascii_fold("Ærø"), "aeroe");
        assert_eq!(ascii_fold("Natur/teknologi"), "naturteknologi");
    }

    #[test]
    fn school_names_are_distinct() {
        let names: std::collections::HashSet<_> = (0..700).map(school_name).collect();
        assert_eq!(names.len(), 700);
        assert_eq!(school_name(0), "Åbyskolen");
    }

    #[test]
    fn lists_contain_danish_letters() {
        for list in [GIVEN_MALE, GIVEN_FEMALE, FAMILY] {
            assert!(list
                .iter()
                .any(|n| n.contains(['æ', 'ø', 'å', 'Æ', 'Ø', 'Å'])));
        }
    }
}
