//! The INSERT statements for the UMS tables, shared by the generator and by churn so both write
//! rows the same way: explicit Ids (so ExternalIds follow from them), explicit ModifiedAt.
//!
//! Statements go through rusqlite's statement cache, so a bulk load prepares each one once.

use std::collections::HashSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection, OptionalExtension};
use time::Date;

use super::clock::{date_text, Stamp};
use super::names::ascii_fold;
use super::DemoError;

/// The municipality's mail domain; e-mail = UNI-Login user name @ this, the full UPN.
pub(super) const DOMAIN: &str = "skole.demokommune.dk";

/// UMS person roles (STIL: Elev, and the employee roles Lærer, Pædagog, Leder; contacts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Student,
    Teacher,
    Aide,
    Leader,
    Guardian,
}

impl Role {
    fn ums(self) -> &'static str {
        match self {
            Self::Student => "Elev",
            Self::Teacher => "Lærer",
            Self::Aide => "Pædagog",
            Self::Leader => "Leder",
            Self::Guardian => "Forælder",
        }
    }
}

/// 'M'/'K' (mand/kvinde) in UMS; male/female in OneRoster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sex {
    Male,
    Female,
}

/// A person before the writer gives it ids, a user name and an e-mail.
pub(super) struct NewPerson<'a> {
    pub role: Role,
    pub given: &'a str,
    pub middle: Option<&'a str>,
    pub family: &'a str,
    pub grade: Option<u8>,
    pub birth: Option<Date>,
    pub sex: Option<Sex>,
    pub enabled: bool,
    pub mobile: Option<String>,
    pub stamp: Stamp,
}

/// A course row (`Courses`).
pub(super) struct NewCourse<'a> {
    pub institution: i64,
    pub year: i64,
    pub title: &'a str,
    pub code: &'a str,
    pub grade: Option<u8>,
    pub subject: Option<(&'a str, &'a str)>,
    pub deleted: bool,
    pub stamp: Stamp,
}

/// A group row (`Groups`); groups are always written live, tombstoned later through triggers.
pub(super) struct NewGroup<'a> {
    pub institution: i64,
    pub year: i64,
    pub template: i64,
    pub course: i64,
    pub name: &'a str,
    pub code: &'a str,
    pub grade: Option<u8>,
    pub location: Option<&'a str>,
    pub stamp: Stamp,
}

/// A membership row (`GroupMembers`); an ended one has `end` and `deleted`.
pub(super) struct NewMember {
    pub group: i64,
    pub person: i64,
    pub teacher: bool,
    pub primary: bool,
    pub begin: Date,
    pub end: Option<Date>,
    pub deleted: bool,
    pub stamp: Stamp,
}

/// The next free Id of each table.
struct Ids {
    institution: i64,
    person: i64,
    affiliation: i64,
    contact: i64,
    course: i64,
    group: i64,
    member: i64,
}

fn take(counter: &mut i64, inserted: &mut usize) -> i64 {
    let id = *counter;
    *counter += 1;
    *inserted += 1;
    id
}

/// Inserts rows with fresh Ids into one connection (normally inside a transaction).
pub(super) struct Writer<'c> {
    conn: &'c Connection,
    ids: Ids,
    /// User names handed out by this writer; the database is asked too when it had rows before.
    taken: HashSet<String>,
    check_db: bool,
    inserted: usize,
}

impl<'c> Writer<'c> {
    /// Starts after the highest Id of every table.
    pub(super) fn new(conn: &'c Connection) -> Result<Self, DemoError> {
        let next = |table: &str| -> Result<i64, DemoError> {
            let sql = format!("SELECT coalesce(max(Id), 0) + 1 FROM {table}");
            Ok(conn.query_row(&sql, [], |r| r.get(0))?)
        };
        let ids = Ids {
            institution: next("Institutions")?,
            person: next("Persons")?,
            affiliation: next("PersonInstitutions")?,
            contact: next("ContactRelations")?,
            course: next("Courses")?,
            group: next("Groups")?,
            member: next("GroupMembers")?,
        };
        let check_db = ids.person > 1;
        Ok(Self {
            conn,
            ids,
            taken: HashSet::new(),
            check_db,
            inserted: 0,
        })
    }

    /// How many rows this writer has inserted.
    pub(super) fn inserted(&self) -> usize {
        self.inserted
    }

    /// An institution; `parent` None for the municipality.
    pub(super) fn institution(
        &mut self,
        number: &str,
        name: &str,
        parent: Option<i64>,
        deleted: bool,
        stamp: Stamp,
    ) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.institution, &mut self.inserted);
        let kind = if parent.is_some() { "Skole" } else { "Kommune" };
        self.conn
            .prepare_cached(
                "INSERT INTO Institutions (Id, ExternalId, InstitutionNumber, Name, InstitutionType, \
                 ParentId, Deleted, ModifiedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![id, format!("org-{number}"), number, name, kind, parent, deleted, stamp.text()?])?;
        Ok(id)
    }

    /// A person, with a new UNI-Login style user name and the matching UPN as e-mail.
    pub(super) fn person(
        &mut self,
        rng: &mut ChaCha8Rng,
        p: &NewPerson<'_>,
    ) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.person, &mut self.inserted);
        let username = self.username(rng, p.given, id)?;
        let email = format!("{username}@{DOMAIN}");
        let sex = p.sex.map(|s| if s == Sex::Male { "M" } else { "K" });
        self.conn
            .prepare_cached(
                "INSERT INTO Persons (Id, ExternalId, UserName, Email, GivenName, MiddleName, \
                 FamilyName, Role, LocalPersonId, GradeLevel, BirthDate, Sex, Enabled, Mobile, \
                 Deleted, ModifiedAt) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0, ?15)",
            )?
            .execute(params![
                id,
                format!("usr-{id:07}"),
                username,
                email,
                p.given,
                p.middle,
                p.family,
                p.role.ums(),
                format!("LP{id:08}"),
                p.grade,
                p.birth.map(date_text),
                sex,
                p.enabled,
                p.mobile,
                p.stamp.text()?,
            ])?;
        Ok(id)
    }

    /// A person ↔ institution affiliation ('elev', 'ansat' or 'kontakt').
    pub(super) fn affiliation(
        &mut self,
        person: i64,
        institution: i64,
        kind: &str,
        deleted: bool,
        stamp: Stamp,
    ) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.affiliation, &mut self.inserted);
        self.conn
            .prepare_cached(
                "INSERT INTO PersonInstitutions (Id, ExternalId, PersonId, InstitutionId, \
                 Affiliation, Deleted, ModifiedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                format!("aff-{id:07}"),
                person,
                institution,
                kind,
                deleted,
                stamp.text()?
            ])?;
        Ok(id)
    }

    /// A live student ↔ guardian relation with parental authority.
    pub(super) fn contact(
        &mut self,
        student: i64,
        guardian: i64,
        relation: &str,
        stamp: Stamp,
    ) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.contact, &mut self.inserted);
        self.conn
            .prepare_cached(
                "INSERT INTO ContactRelations (Id, ExternalId, StudentId, ContactId, Relation, \
                 ParentalAuthority, Deleted, ModifiedAt) VALUES (?1, ?2, ?3, ?4, ?5, 1, 0, ?6)",
            )?
            .execute(params![
                id,
                format!("rel-{id:07}"),
                student,
                guardian,
                relation,
                stamp.text()?
            ])?;
        Ok(id)
    }

    /// A course.
    pub(super) fn course(&mut self, c: &NewCourse<'_>) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.course, &mut self.inserted);
        self.conn
            .prepare_cached(
                "INSERT INTO Courses (Id, ExternalId, InstitutionId, SchoolYearId, Title, CourseCode, \
                 GradeLevel, Subject, SubjectCode, Deleted, ModifiedAt) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                id,
                format!("crs-{id:06}"),
                c.institution,
                c.year,
                c.title,
                c.code,
                c.grade,
                c.subject.map(|s| s.0),
                c.subject.map(|s| s.1),
                c.deleted,
                c.stamp.text()?,
            ])?;
        Ok(id)
    }

    /// A live group.
    pub(super) fn group(&mut self, g: &NewGroup<'_>) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.group, &mut self.inserted);
        self.conn
            .prepare_cached(
                "INSERT INTO Groups (Id, ExternalId, InstitutionId, SchoolYearId, TemplateId, \
                 CourseId, Name, GroupCode, GradeLevel, Location, Deleted, ModifiedAt) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11)",
            )?
            .execute(params![
                id,
                format!("grp-{id:06}"),
                g.institution,
                g.year,
                g.template,
                g.course,
                g.name,
                g.code,
                g.grade,
                g.location,
                g.stamp.text()?,
            ])?;
        Ok(id)
    }

    /// A membership.
    pub(super) fn member(&mut self, m: &NewMember) -> Result<i64, DemoError> {
        let id = take(&mut self.ids.member, &mut self.inserted);
        let role = if m.teacher { "Lærer" } else { "Elev" };
        self.conn
            .prepare_cached(
                "INSERT INTO GroupMembers (Id, ExternalId, GroupId, PersonId, Role, IsPrimary, \
                 BeginDate, EndDate, Deleted, ModifiedAt) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                id,
                format!("enr-{id:07}"),
                m.group,
                m.person,
                role,
                m.primary,
                date_text(m.begin),
                m.end.map(date_text),
                m.deleted,
                m.stamp.text()?,
            ])?;
        Ok(id)
    }

    /// UNI-Login style: up to four letters of the given name and four digits ("ande4821").
    /// More digits when a prefix gets crowded; the Id as a last resort keeps it unique.
    fn username(
        &mut self,
        rng: &mut ChaCha8Rng,
        given: &str,
        id: i64,
    ) -> Result<String, DemoError> {
        let mut prefix: String = ascii_fold(given).chars().take(4).collect();
        if prefix.is_empty() {
            prefix.push_str("bruger");
        }
        for attempt in 0u32..200 {
            let digits = 4 + attempt / 40;
            let n = rng.random_range(0..10u64.pow(digits));
            let candidate = format!("{prefix}{n:0width$}", width = digits as usize);
            if self.available(&candidate)? {
                self.taken.insert(candidate.clone());
                return Ok(candidate);
            }
        }
        Ok(format!("{prefix}u{id}"))
    }

    fn available(&self, candidate: &str) -> Result<bool, DemoError> {
        if self.taken.contains(candidate) {
            return Ok(false);
        }
        if !self.check_db {
            return Ok(true);
        }
        let hit = self
            .conn
            .prepare_cached("SELECT 1 FROM Persons WHERE UserName = ?1")?
            .query_row([candidate], |_| Ok(()))
            .optional()?;
        Ok(hit.is_none())
    }
}
