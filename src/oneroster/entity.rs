//! The seven OneRoster rostering entities and the catalogue of their fields.
//!
//! The catalogue is what makes "filter and sort on any field" possible without hand-written
//! cases: the query layer looks a field up here to learn whether it exists and how its values
//! compare (text, enumeration, timestamp, date, boolean, list, or a reference to another record).

use super::vocab;

/// A rostering entity (the base type, never the path alias: `/schools` serves `Org`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Org,
    AcademicSession,
    Course,
    Class,
    User,
    Enrollment,
    Demographics,
}

/// How a field's values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// An identifier, compared exactly.
    Id,
    /// Free text, compared case-insensitively.
    Text,
    /// A closed vocabulary, compared case-insensitively through its canonical spelling.
    Enum(&'static [&'static str]),
    /// A UTC instant, compared chronologically.
    Timestamp,
    /// A `YYYY-MM-DD` date.
    Date,
    /// `"true"` / `"false"`.
    Bool,
    /// A list of strings (grades, subjects): `=` matches when any element equals the value.
    List,
    /// A GUIDRef to one record; filtered as `field.sourcedId`.
    Ref(Entity),
    /// An array of GUIDRefs; filtered as `field.sourcedId`, matching when any element matches.
    RefList(Entity),
}

/// One field of an entity's 1.1 representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The JSON name, which is also the view column (or `<name>SourcedId` for a reference).
    pub name: &'static str,
    pub ty: FieldType,
}

const fn field(name: &'static str, ty: FieldType) -> Field {
    Field { name, ty }
}

use FieldType::{Bool, Date, Enum, Id, List, Ref, RefList, Text, Timestamp};

const ORG: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("name", Text),
    field("type", Enum(vocab::ORG_TYPE)),
    field("identifier", Text),
    field("parent", Ref(Entity::Org)),
    field("children", RefList(Entity::Org)),
];

const ACADEMIC_SESSION: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("title", Text),
    field("startDate", Date),
    field("endDate", Date),
    field("type", Enum(vocab::SESSION_TYPE)),
    field("parent", Ref(Entity::AcademicSession)),
    field("children", RefList(Entity::AcademicSession)),
    field("schoolYear", Text),
];

const COURSE: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("title", Text),
    field("schoolYear", Ref(Entity::AcademicSession)),
    field("courseCode", Text),
    field("grades", List),
    field("subjects", List),
    field("org", Ref(Entity::Org)),
    field("subjectCodes", List),
];

const CLASS: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("title", Text),
    field("classCode", Text),
    field("classType", Enum(vocab::CLASS_TYPE)),
    field("location", Text),
    field("grades", List),
    field("subjects", List),
    field("course", Ref(Entity::Course)),
    field("school", Ref(Entity::Org)),
    field("terms", RefList(Entity::AcademicSession)),
    field("subjectCodes", List),
    field("periods", List),
];

const USER: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("username", Text),
    field("enabledUser", Bool),
    field("givenName", Text),
    field("familyName", Text),
    field("middleName", Text),
    field("role", Enum(vocab::ROLE)),
    field("identifier", Text),
    field("email", Text),
    field("sms", Text),
    field("phone", Text),
    field("agents", RefList(Entity::User)),
    field("orgs", RefList(Entity::Org)),
    field("grades", List),
];

const ENROLLMENT: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("user", Ref(Entity::User)),
    field("class", Ref(Entity::Class)),
    field("school", Ref(Entity::Org)),
    field("role", Enum(vocab::ROLE)),
    field("primary", Bool),
    field("beginDate", Date),
    field("endDate", Date),
];

const DEMOGRAPHICS: &[Field] = &[
    field("sourcedId", Id),
    field("status", Enum(vocab::STATUS)),
    field("dateLastModified", Timestamp),
    field("birthDate", Date),
    field("sex", Enum(vocab::SEX)),
    field("americanIndianOrAlaskaNative", Bool),
    field("asian", Bool),
    field("blackOrAfricanAmerican", Bool),
    field("nativeHawaiianOrOtherPacificIslander", Bool),
    field("white", Bool),
    field("demographicRaceTwoOrMoreRaces", Bool),
    field("hispanicOrLatinoEthnicity", Bool),
    field("countryOfBirthCode", Text),
    field("stateOfBirthAbbreviation", Text),
    field("cityOfBirth", Text),
    field("publicSchoolResidenceStatus", Text),
];

impl Entity {
    /// Every entity.
    pub const ALL: [Entity; 7] = [
        Entity::Org,
        Entity::AcademicSession,
        Entity::Course,
        Entity::Class,
        Entity::User,
        Entity::Enrollment,
        Entity::Demographics,
    ];

    /// Every field of the entity's 1.1 representation, in output order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Org => ORG,
            Entity::AcademicSession => ACADEMIC_SESSION,
            Entity::Course => COURSE,
            Entity::Class => CLASS,
            Entity::User => USER,
            Entity::Enrollment => ENROLLMENT,
            Entity::Demographics => DEMOGRAPHICS,
        }
    }

    /// Looks a field up by its exact JSON name.
    pub fn field(self, name: &str) -> Option<Field> {
        self.fields().iter().copied().find(|f| f.name == name)
    }

    /// The GUIDRef `type` of a reference to this entity.
    pub fn guid_type(self) -> &'static str {
        match self {
            Entity::Org => "org",
            Entity::AcademicSession => "academicSession",
            Entity::Course => "course",
            Entity::Class => "class",
            Entity::User => "user",
            Entity::Enrollment => "enrollment",
            Entity::Demographics => "demographics",
        }
    }

    /// The collection path segment that serves this entity under its base type.
    pub fn collection(self) -> &'static str {
        match self {
            Entity::Org => "orgs",
            Entity::AcademicSession => "academicSessions",
            Entity::Course => "courses",
            Entity::Class => "classes",
            Entity::User => "users",
            Entity::Enrollment => "enrollments",
            Entity::Demographics => "demographics",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_has_the_common_fields_first() {
        for entity in Entity::ALL {
            let names: Vec<_> = entity.fields().iter().take(3).map(|f| f.name).collect();
            assert_eq!(
                names,
                ["sourcedId", "status", "dateLastModified"],
                "{entity:?}"
            );
        }
    }

    #[test]
    fn field_names_are_unique() {
        for entity in Entity::ALL {
            let mut names: Vec<_> = entity.fields().iter().map(|f| f.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), entity.fields().len(), "{entity:?}");
        }
    }

    #[test]
    fn lookup_is_exact() {
        assert!(Entity::User.field("givenName").is_some());
        assert!(Entity::User.field("givenname").is_none());
        assert_eq!(
            Entity::Class.field("school").map(|f| f.ty),
            Some(FieldType::Ref(Entity::Org))
        );
    }
}
