//! Changes to a demo database made the way LiveAtEdu_Sync makes them: straight into the UMS
//! tables, with plain INSERT, UPDATE and hard DELETE. The schema's triggers turn the deletes into
//! tombstones and bump the rows that show changed links, which is exactly what the delta-sync
//! tests need to see happen.
//!
//! Every write sets ModifiedAt to the caller's `now`. A hard DELETE cannot carry a stamp, so the
//! row is first stamped one millisecond before `now`; the tombstone trigger then moves it to
//! `max(wall clock, now)`. With `now` ahead of the wall clock that is exactly `now`; otherwise the
//! wall clock, which is later still. Either way the row moves forward.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension, Row};
use time::{Date, OffsetDateTime};

use super::clock::{date_text, Stamp};
use super::names::{pick, FAMILY};
use super::people;
use super::writer::{NewCourse, NewGroup, NewMember, Writer};
use super::DemoError;

/// What one round wrote directly (rows changed by triggers are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ChurnSummary {
    /// Rows inserted.
    pub inserted: usize,
    /// Rows updated (not counting the stamp written just before a DELETE).
    pub updated: usize,
    /// Rows hard-deleted (turned into tombstones by the triggers).
    pub deleted: usize,
}

/// One random round of changes made the way LiveAtEdu_Sync makes them, directly in the UMS
/// tables: inserts (new students with memberships and guardians, new hold), updates (name change,
/// class move, teacher swap), and hard DELETEs (which the triggers turn into tombstones). `now` is
/// used as ModifiedAt for the writes so tests can control time; returns counts.
pub fn random_round(
    conn: &mut Connection,
    rng: &mut ChaCha8Rng,
    now: OffsetDateTime,
) -> Result<ChurnSummary, DemoError> {
    let stamp = Stamp::from_datetime(now);
    let tx = conn.transaction()?;
    let summary = {
        let mut round = Round {
            conn: &tx,
            w: Writer::new(&tx)?,
            rng,
            stamp,
            today: stamp.date()?,
            updated: 0,
            deleted: 0,
        };
        round.new_students()?;
        round.new_hold()?;
        round.rename()?;
        round.class_move()?;
        round.teacher_swap()?;
        round.delete_one("Persons", STUDENT_SQL)?;
        round.delete_one("Groups", HOLD_SQL)?;
        round.delete_one("GroupMembers", HOLD_MEMBER_SQL)?;
        round.delete_one("ContactRelations", RELATION_SQL)?;
        ChurnSummary {
            inserted: round.w.inserted(),
            updated: round.updated,
            deleted: round.deleted,
        }
    };
    tx.commit()?;
    Ok(summary)
}

/// A live student.
const STUDENT_SQL: &str =
    "SELECT Id FROM Persons WHERE Id >= ?1 AND Deleted = 0 AND Role = 'Elev' ORDER BY Id LIMIT 1";

/// A live contact relation.
const RELATION_SQL: &str =
    "SELECT Id FROM ContactRelations WHERE Id >= ?1 AND Deleted = 0 ORDER BY Id LIMIT 1";

/// A live stamklasse: Id, school, school year, grade.
const STAMKLASSE_SQL: &str =
    "SELECT g.Id, g.InstitutionId, g.SchoolYearId, g.GradeLevel FROM Groups g \
     JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.OrganizationType = 'stamklasse' \
     WHERE g.Id >= ?1 AND g.Deleted = 0 ORDER BY g.Id LIMIT 1";

/// A live Teams-enabled hold.
const HOLD_SQL: &str = "SELECT g.Id FROM Groups g \
     JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.OrganizationType = 'hold' \
       AND t.TeamsTemplate IS NOT NULL \
     WHERE g.Id >= ?1 AND g.Deleted = 0 ORDER BY g.Id LIMIT 1";

/// A live student membership of a Teams-enabled hold.
const HOLD_MEMBER_SQL: &str = "SELECT m.Id FROM GroupMembers m JOIN Groups g ON g.Id = m.GroupId \
     JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.OrganizationType = 'hold' \
       AND t.TeamsTemplate IS NOT NULL \
     WHERE m.Id >= ?1 AND m.Deleted = 0 AND m.Role = 'Elev' ORDER BY m.Id LIMIT 1";

/// A live teacher of a school who is not yet a live member of a group: ?2 school, ?3 group.
const FREE_TEACHER_SQL: &str = "SELECT a.PersonId FROM PersonInstitutions a \
     JOIN Persons p ON p.Id = a.PersonId \
     WHERE a.Id >= ?1 AND a.InstitutionId = ?2 AND a.Deleted = 0 AND p.Deleted = 0 \
       AND p.Role = 'Lærer' AND NOT EXISTS (SELECT 1 FROM GroupMembers x \
         WHERE x.GroupId = ?3 AND x.PersonId = a.PersonId AND x.Deleted = 0) \
     ORDER BY a.Id LIMIT 1";

/// A stamklasse as churn needs it.
#[derive(Debug, Clone, Copy)]
struct Stamklasse {
    group: i64,
    school: i64,
    year: i64,
    grade: u8,
}

fn stamklasse(row: &Row<'_>) -> rusqlite::Result<Stamklasse> {
    Ok(Stamklasse {
        group: row.get(0)?,
        school: row.get(1)?,
        year: row.get(2)?,
        grade: row.get::<_, Option<u8>>(3)?.unwrap_or(0),
    })
}

struct Round<'c, 'r> {
    conn: &'c Connection,
    w: Writer<'c>,
    rng: &'r mut ChaCha8Rng,
    stamp: Stamp,
    today: Date,
    updated: usize,
    deleted: usize,
}

impl Round<'_, '_> {
    /// The first row at or after a random Id (`?1` in `sql`), wrapping to the start: cheap on
    /// large tables, where OFFSET would scan.
    fn probe<T>(
        &mut self,
        table: &str,
        sql: &str,
        extra: &[&dyn ToSql],
        map: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, DemoError> {
        let max: i64 = self.conn.query_row(
            &format!("SELECT coalesce(max(Id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(sql)?;
        for start in [self.rng.random_range(0..=max), 0] {
            let mut args: Vec<&dyn ToSql> = vec![&start];
            args.extend_from_slice(extra);
            if let Some(found) = stmt.query_row(&*args, &map).optional()? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    fn member(
        &mut self,
        group: i64,
        person: i64,
        teacher: bool,
        primary: bool,
    ) -> Result<(), DemoError> {
        self.w.member(&NewMember {
            group,
            person,
            teacher,
            primary,
            begin: self.today,
            end: None,
            deleted: false,
            stamp: self.stamp,
        })?;
        Ok(())
    }

    /// One to three new students in a random stamklasse, each with a new household and one or
    /// two of the grade's hold.
    fn new_students(&mut self) -> Result<(), DemoError> {
        let Some(class) = self.probe("Groups", STAMKLASSE_SQL, &[], stamklasse)? else {
            return Ok(());
        };
        let hold: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT g.Id FROM Groups g JOIN GroupTemplates t ON t.Id = g.TemplateId \
                 WHERE g.InstitutionId = ?1 AND g.SchoolYearId = ?2 AND g.GradeLevel = ?3 \
                   AND g.Deleted = 0 AND t.OrganizationType = 'hold' ORDER BY g.Id",
            )?
            .query_map(params![class.school, class.year, class.grade], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for _ in 0..self.rng.random_range(1..=3) {
            let family = people::new_family(&mut self.w, self.rng, class.school, self.stamp)?;
            let id = people::student(&mut self.w, self.rng, class.grade, family.name, self.stamp)?;
            self.w
                .affiliation(id, class.school, "elev", false, self.stamp)?;
            people::link_family(&mut self.w, id, &family, self.stamp)?;
            self.member(class.group, id, false, false)?;
            let count = self.rng.random_range(1..=2);
            for group in hold
                .choose_multiple(self.rng, count)
                .copied()
                .collect::<Vec<_>>()
            {
                self.member(group, id, false, false)?;
            }
        }
        Ok(())
    }

    /// A new elective hold for the students of a random stamklasse, with its own course.
    fn new_hold(&mut self) -> Result<(), DemoError> {
        let Some(class) = self.probe("Groups", STAMKLASSE_SQL, &[], stamklasse)? else {
            return Ok(());
        };
        let subject = *[("Programmering", "VP"), ("Drama", "VD"), ("Medier", "VE")]
            .choose(self.rng)
            .unwrap_or(&("Programmering", "VP"));
        let grade = class.grade;
        let (title, code) = (
            format!("{} {grade}. årg.", subject.0),
            format!("{}{grade:02}", subject.1),
        );
        let course = self.w.course(&NewCourse {
            institution: class.school,
            year: class.year,
            title: &title,
            code: &code,
            grade: Some(grade),
            subject: Some(subject),
            deleted: false,
            stamp: self.stamp,
        })?;
        let template: i64 = self.conn.query_row(
            "SELECT Id FROM GroupTemplates WHERE OrganizationType = 'hold' \
             AND TeamsTemplate IS NOT NULL AND Deleted = 0 ORDER BY Id LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        let group = self.w.group(&NewGroup {
            institution: class.school,
            year: class.year,
            template,
            course,
            name: &title,
            code: &code,
            grade: Some(grade),
            location: None,
            stamp: self.stamp,
        })?;
        if let Some(teacher) = self.probe(
            "PersonInstitutions",
            FREE_TEACHER_SQL,
            &[&class.school, &group],
            |r| r.get(0),
        )? {
            self.member(group, teacher, true, true)?;
        }
        let students: Vec<i64> = self
            .conn
            .prepare_cached("SELECT PersonId FROM GroupMembers WHERE GroupId = ?1 AND Deleted = 0 AND Role = 'Elev' ORDER BY Id")?
            .query_map([class.group], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for student in students {
            self.member(group, student, false, false)?;
        }
        Ok(())
    }

    /// A name change (marriage, a new family name after a divorce).
    fn rename(&mut self) -> Result<(), DemoError> {
        let sql = "SELECT Id FROM Persons WHERE Id >= ?1 AND Deleted = 0 ORDER BY Id LIMIT 1";
        let Some(person) = self.probe("Persons", sql, &[], |r| r.get::<_, i64>(0))? else {
            return Ok(());
        };
        let family = pick(self.rng, FAMILY);
        self.updated += self.conn.execute(
            "UPDATE Persons SET FamilyName = ?2, ModifiedAt = ?3 WHERE Id = ?1",
            params![person, family, self.stamp.text()?],
        )?;
        Ok(())
    }

    /// A student moves to another stamklasse of the same grade: the old membership ends today.
    fn class_move(&mut self) -> Result<(), DemoError> {
        let sql = "SELECT m.Id, m.PersonId, other.Id FROM GroupMembers m \
             JOIN Groups g ON g.Id = m.GroupId \
             JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.OrganizationType = 'stamklasse' \
             JOIN Groups other ON other.InstitutionId = g.InstitutionId \
               AND other.SchoolYearId = g.SchoolYearId AND other.GradeLevel = g.GradeLevel \
               AND other.TemplateId = g.TemplateId AND other.Id <> g.Id AND other.Deleted = 0 \
             WHERE m.Id >= ?1 AND m.Deleted = 0 AND m.Role = 'Elev' \
               AND NOT EXISTS (SELECT 1 FROM GroupMembers x WHERE x.GroupId = other.Id \
                 AND x.PersonId = m.PersonId AND x.Deleted = 0) \
             ORDER BY m.Id LIMIT 1";
        let found = self.probe("GroupMembers", sql, &[], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let Some((membership, student, target)) = found else {
            return Ok(());
        };
        self.updated += self.conn.execute(
            "UPDATE GroupMembers SET Deleted = 1, EndDate = ?2, ModifiedAt = ?3 WHERE Id = ?1",
            params![membership, date_text(self.today), self.stamp.text()?],
        )?;
        self.member(target, student, false, false)
    }

    /// A teacher is replaced on one class by another teacher of the same school.
    fn teacher_swap(&mut self) -> Result<(), DemoError> {
        let sql = "SELECT m.Id, m.GroupId, m.IsPrimary, g.InstitutionId FROM GroupMembers m \
             JOIN Groups g ON g.Id = m.GroupId \
             JOIN GroupTemplates t ON t.Id = g.TemplateId AND t.TeamsTemplate IS NOT NULL \
             WHERE m.Id >= ?1 AND m.Deleted = 0 AND m.Role = 'Lærer' AND g.Deleted = 0 \
             ORDER BY m.Id LIMIT 1";
        let found = self.probe("GroupMembers", sql, &[], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let Some((membership, group, primary, school)) = found else {
            return Ok(());
        };
        let replacement = self.probe(
            "PersonInstitutions",
            FREE_TEACHER_SQL,
            &[&school, &group],
            |r| r.get::<_, i64>(0),
        )?;
        let Some(teacher) = replacement else {
            return Ok(());
        };
        self.hard_delete("GroupMembers", membership)?;
        self.member(group, teacher, true, primary)
    }

    /// Hard-deletes the row `sql` finds (a live row at or after `?1`).
    fn delete_one(&mut self, table: &str, sql: &str) -> Result<(), DemoError> {
        if let Some(id) = self.probe(table, sql, &[], |r| r.get::<_, i64>(0))? {
            self.hard_delete(table, id)?;
        }
        Ok(())
    }

    /// Stamp just before `now`, then DELETE: the tombstone trigger lands on max(wall clock, now).
    fn hard_delete(&mut self, table: &str, id: i64) -> Result<(), DemoError> {
        self.conn.execute(
            &format!("UPDATE {table} SET ModifiedAt = ?2 WHERE Id = ?1"),
            params![id, self.stamp.plus_ms(-1).text()?],
        )?;
        self.conn
            .execute(&format!("DELETE FROM {table} WHERE Id = ?1"), [id])?;
        self.deleted += 1;
        Ok(())
    }
}
