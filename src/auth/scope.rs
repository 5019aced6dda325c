//! OAuth scopes of the OneRoster rostering service and what each route needs.
//!
//! `roster.readonly` covers everything `roster-core.readonly` covers; demographics need
//! `roster-demographics.readonly`. A scope belongs to one version: a 1.2 scope does not open
//! the 1.1 tree.

use std::fmt;

use crate::oneroster::vocab::Version;

/// The rostering scope families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    RosterCore,
    Roster,
    RosterDemographics,
}

/// One scope URI, e.g. `https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub version: Version,
    pub family: Family,
}

const FAMILIES: [(Family, &str); 3] = [
    (Family::RosterCore, "roster-core.readonly"),
    (Family::Roster, "roster.readonly"),
    (Family::RosterDemographics, "roster-demographics.readonly"),
];

fn version_segment(version: Version) -> &'static str {
    match version {
        Version::V1p1 => "v1p1",
        Version::V1p2 => "v1p2",
    }
}

impl Scope {
    /// Every scope this service knows, 1.1 first.
    pub fn all() -> Vec<Scope> {
        [Version::V1p1, Version::V1p2]
            .into_iter()
            .flat_map(|version| {
                FAMILIES
                    .iter()
                    .map(move |&(family, _)| Scope { version, family })
            })
            .collect()
    }

    /// Parses a scope URI; `None` for anything this service does not grant.
    pub fn parse(uri: &str) -> Option<Scope> {
        Scope::all()
            .into_iter()
            .find(|scope| scope.to_string() == uri)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = FAMILIES
            .iter()
            .find(|(family, _)| *family == self.family)
            .map_or("", |(_, name)| name);
        write!(
            f,
            "https://purl.imsglobal.org/spec/or/{}/scope/{name}",
            version_segment(self.version)
        )
    }
}

/// What a route demands of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// roster-core.readonly or roster.readonly.
    Core,
    /// roster.readonly.
    Roster,
    /// roster-demographics.readonly.
    Demographics,
}

impl Requirement {
    /// Whether `granted` satisfies this requirement in `version`'s tree.
    pub fn is_met(self, version: Version, granted: &[Scope]) -> bool {
        let has = |family| granted.contains(&Scope { version, family });
        match self {
            Requirement::Core => has(Family::RosterCore) || has(Family::Roster),
            Requirement::Roster => has(Family::Roster),
            Requirement::Demographics => has(Family::RosterDemographics),
        }
    }
}

/// Parses a space-separated scope list; the error names the first unknown scope.
pub fn parse_list(list: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    for uri in list.split_whitespace() {
        let scope = Scope::parse(uri).ok_or_else(|| uri.to_owned())?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

/// Renders scopes as the space-separated list OAuth uses.
pub fn render_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        for scope in Scope::all() {
            assert_eq!(Scope::parse(&scope.to_string()), Some(scope));
        }
        assert_eq!(Scope::all().len(), 6);
        assert!(
            Scope::parse("https://purl.imsglobal.org/spec/or/v1p1/scope/gradebook.readonly")
                .is_none()
        );
    }

    #[test]
    fn roster_covers_core_but_not_demographics() {
        let roster = [Scope {
            version: Version::V1p1,
            family: Family::Roster,
        }];
        assert!(Requirement::Core.is_met(Version::V1p1, &roster));
        assert!(Requirement::Roster.is_met(Version::V1p1, &roster));
        assert!(!Requirement::Demographics.is_met(Version::V1p1, &roster));
        assert!(!Requirement::Core.is_met(Version::V1p2, &roster));
    }

    #[test]
    fn core_does_not_cover_nested_reads() {
        let core = [Scope {
            version: Version::V1p1,
            family: Family::RosterCore,
        }];
        assert!(Requirement::Core.is_met(Version::V1p1, &core));
        assert!(!Requirement::Roster.is_met(Version::V1p1, &core));
    }

    #[test]
    fn lists_parse_and_name_the_unknown_scope() {
        let list = "https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly  https://purl.imsglobal.org/spec/or/v1p1/scope/roster.readonly";
        assert_eq!(parse_list(list).unwrap().len(), 1);
        assert_eq!(
            parse_list("organisation onerosterapi"),
            Err("organisation".into())
        );
        assert_eq!(parse_list("").unwrap(), vec![]);
    }
}
