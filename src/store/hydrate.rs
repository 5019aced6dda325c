//! Rows of the OneRoster views turned into records, the same way for every engine.
//!
//! Each entity's SELECT list and the function that reads it sit side by side, so the column
//! order and the reading order cannot drift apart. Engines only supply a [`RowReader`].

use time::{Date, OffsetDateTime};

use super::sql::views;
use super::StoreError;
use crate::oneroster::entity::Entity;
use crate::oneroster::primitives::{CalendarDate, Hrefs, Status, StrBool, Timestamp};
use crate::oneroster::v1p1::{
    AcademicSession, Class, Common, Course, Demographics, Enrollment, Org, Record, User,
};

/// Reads the columns of one row in SELECT-list order, converting engine types.
pub trait RowReader {
    /// The next column as text; NULL is `None`.
    fn text(&mut self) -> Result<Option<String>, StoreError>;
    /// The next column as a UTC instant.
    fn timestamp(&mut self) -> Result<Option<OffsetDateTime>, StoreError>;
    /// The next column as a calendar date.
    fn date(&mut self) -> Result<Option<Date>, StoreError>;
    /// The next column as a 0/1 flag.
    fn flag(&mut self) -> Result<Option<bool>, StoreError>;
}

const COMMON: [&str; 3] = ["sourcedId", "status", "dateLastModified"];

/// The SELECT list for `entity`, in reading order.
pub fn columns(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Org => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "name",
            "type",
            "identifier",
            "parentSourcedId",
        ],
        Entity::AcademicSession => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "startDate",
            "endDate",
            "type",
            "parentSourcedId",
            "schoolYear",
        ],
        Entity::Course => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "schoolYearSourcedId",
            "courseCode",
            "grades",
            "subjects",
            "orgSourcedId",
            "subjectCodes",
        ],
        Entity::Class => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "title",
            "classCode",
            "classType",
            "location",
            "grades",
            "subjects",
            "courseSourcedId",
            "schoolSourcedId",
            "subjectCodes",
            "periods",
        ],
        Entity::User => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "username",
            "enabledUser",
            "givenName",
            "familyName",
            "middleName",
            "role",
            "identifier",
            "email",
            "sms",
            "phone",
            "grades",
        ],
        Entity::Enrollment => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "userSourcedId",
            "classSourcedId",
            "schoolSourcedId",
            "role",
            "primary",
            "beginDate",
            "endDate",
        ],
        Entity::Demographics => &[
            "sourcedId",
            "status",
            "dateLastModified",
            "birthDate",
            "sex",
            "americanIndianOrAlaskaNative",
            "asian",
            "blackOrAfricanAmerican",
            "nativeHawaiianOrOtherPacificIslander",
            "white",
            "demographicRaceTwoOrMoreRaces",
            "hispanicOrLatinoEthnicity",
            "countryOfBirthCode",
            "stateOfBirthAbbreviation",
            "cityOfBirth",
            "publicSchoolResidenceStatus",
        ],
    }
}

/// Reads one row of `entity`'s view; reference arrays are left empty for the caller to fill.
pub fn record(
    entity: Entity,
    row: &mut dyn RowReader,
    hrefs: &Hrefs,
) -> Result<Record, StoreError> {
    let mut r = Reader {
        row,
        hrefs,
        view: views::view(entity),
        column: 0,
        entity,
    };
    Ok(match entity {
        Entity::Org => Record::Org(r.org()?),
        Entity::AcademicSession => Record::AcademicSession(r.session()?),
        Entity::Course => Record::Course(r.course()?),
        Entity::Class => Record::Class(r.class()?),
        Entity::User => Record::User(r.user()?),
        Entity::Enrollment => Record::Enrollment(r.enrollment()?),
        Entity::Demographics => Record::Demographics(r.demographics()?),
    })
}

struct Reader<'a> {
    row: &'a mut dyn RowReader,
    hrefs: &'a Hrefs,
    view: &'static str,
    entity: Entity,
    column: usize,
}

impl Reader<'_> {
    fn missing(&self) -> StoreError {
        let name = columns(self.entity)
            .get(self.column)
            .copied()
            .unwrap_or("?");
        StoreError::Contract {
            view: self.view,
            detail: format!("required column {name} is NULL"),
        }
    }

    fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        self.column += 1;
        self.row.text()
    }

    fn text(&mut self) -> Result<String, StoreError> {
        let value = self.row.text()?;
        let value = value.ok_or_else(|| self.missing())?;
        self.column += 1;
        Ok(value)
    }

    fn list(&mut self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .opt_text()?
            .map(|csv| csv.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default())
    }

    fn opt_ref(
        &mut self,
        entity: Entity,
    ) -> Result<Option<crate::oneroster::primitives::GuidRef>, StoreError> {
        Ok(self.opt_text()?.map(|id| self.hrefs.to(entity, id)))
    }

    fn reference(
        &mut self,
        entity: Entity,
    ) -> Result<crate::oneroster::primitives::GuidRef, StoreError> {
        let id = self.text()?;
        Ok(self.hrefs.to(entity, id))
    }

    fn opt_date(&mut self) -> Result<Option<CalendarDate>, StoreError> {
        self.column += 1;
        Ok(self.row.date()?.map(CalendarDate))
    }

    fn date(&mut self) -> Result<CalendarDate, StoreError> {
        let value = self.row.date()?.ok_or_else(|| self.missing())?;
        self.column += 1;
        Ok(CalendarDate(value))
    }

    fn flag(&mut self) -> Result<Option<StrBool>, StoreError> {
        self.column += 1;
        Ok(self.row.flag()?.map(StrBool))
    }

    fn common(&mut self) -> Result<Common, StoreError> {
        debug_assert_eq!(&columns(self.entity)[..3], COMMON);
        let sourced_id = self.text()?;
        let status = Status::from_column(&self.text()?);
        let modified = self.row.timestamp()?.ok_or_else(|| self.missing())?;
        self.column += 1;
        Ok(Common {
            sourced_id,
            status,
            date_last_modified: Timestamp(modified),
        })
    }

    fn org(&mut self) -> Result<Org, StoreError> {
        Ok(Org {
            common: self.common()?,
            name: self.text()?,
            org_type: self.text()?,
            identifier: self.opt_text()?,
            parent: self.opt_ref(Entity::Org)?,
            children: Vec::new(),
        })
    }

    fn session(&mut self) -> Result<AcademicSession, StoreError> {
        Ok(AcademicSession {
            common: self.common()?,
            title: self.text()?,
            start_date: self.date()?,
            end_date: self.date()?,
            session_type: self.text()?,
            parent: self.opt_ref(Entity::AcademicSession)?,
            children: Vec::new(),
            school_year: self.text()?,
        })
    }

    fn course(&mut self) -> Result<Course, StoreError> {
        Ok(Course {
            common: self.common()?,
            title: self.text()?,
            school_year: self.opt_ref(Entity::AcademicSession)?,
            course_code: self.opt_text()?,
            grades: self.list()?,
            subjects: self.list()?,
            org: self.opt_ref(Entity::Org)?,
            subject_codes: self.list()?,
        })
    }

    fn class(&mut self) -> Result<Class, StoreError> {
        Ok(Class {
            common: self.common()?,
            title: self.text()?,
            class_code: self.opt_text()?,
            class_type: self.opt_text()?,
            location: self.opt_text()?,
            grades: self.list()?,
            subjects: self.list()?,
            course: self.opt_ref(Entity::Course)?,
            school: self.reference(Entity::Org)?,
            terms: Vec::new(),
            subject_codes: self.list()?,
            periods: self.list()?,
        })
    }

    fn user(&mut self) -> Result<User, StoreError> {
        Ok(User {
            common: self.common()?,
            username: self.text()?,
            enabled_user: self.flag()?,
            given_name: self.text()?,
            family_name: self.text()?,
            middle_name: self.opt_text()?,
            role: self.text()?,
            identifier: self.opt_text()?,
            email: self.opt_text()?,
            sms: self.opt_text()?,
            phone: self.opt_text()?,
            grades: self.list()?,
            agents: Vec::new(),
            orgs: Vec::new(),
        })
    }

    fn enrollment(&mut self) -> Result<Enrollment, StoreError> {
        Ok(Enrollment {
            common: self.common()?,
            user: self.reference(Entity::User)?,
            class: self.reference(Entity::Class)?,
            school: self.reference(Entity::Org)?,
            role: self.text()?,
            primary: self.flag()?,
            begin_date: self.opt_date()?,
            end_date: self.opt_date()?,
        })
    }

    fn demographics(&mut self) -> Result<Demographics, StoreError> {
        Ok(Demographics {
            common: self.common()?,
            birth_date: self.opt_date()?,
            sex: self.opt_text()?,
            american_indian_or_alaska_native: self.flag()?,
            asian: self.flag()?,
            black_or_african_american: self.flag()?,
            native_hawaiian_or_other_pacific_islander: self.flag()?,
            white: self.flag()?,
            demographic_race_two_or_more_races: self.flag()?,
            hispanic_or_latino_ethnicity: self.flag()?,
            country_of_birth_code: self.opt_text()?,
            state_of_birth_abbreviation: self.opt_text()?,
            city_of_birth: self.opt_text()?,
            public_school_residence_status: self.opt_text()?,
        })
    }
}

/// Attaches the rows of a link view, `(owner, target)` pairs in owner order, to the page's
/// records as GUIDRefs of the field named `field`.
pub fn attach_links(
    records: &mut [Record],
    field: &str,
    pairs: Vec<(String, String)>,
    hrefs: &Hrefs,
) {
    let mut by_owner: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for (owner, target) in pairs {
        let targets = by_owner.entry(owner).or_default();
        // Pairs arrive ordered, so a repeated link (a tombstoned user keeps every past
        // affiliation) is adjacent to its twin.
        if targets.last() != Some(&target) {
            targets.push(target);
        }
    }
    for record in records.iter_mut() {
        let Some(targets) = by_owner.remove(&record.common().sourced_id) else {
            continue;
        };
        let (slot, entity) = match (record, field) {
            (Record::Org(org), "children") => (&mut org.children, Entity::Org),
            (Record::AcademicSession(s), "children") => (&mut s.children, Entity::AcademicSession),
            (Record::Class(class), "terms") => (&mut class.terms, Entity::AcademicSession),
            (Record::User(user), "orgs") => (&mut user.orgs, Entity::Org),
            (Record::User(user), "agents") => (&mut user.agents, Entity::User),
            _ => continue,
        };
        *slot = targets.into_iter().map(|id| hrefs.to(entity, id)).collect();
    }
}
