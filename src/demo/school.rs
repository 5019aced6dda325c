//! One school: the institution, its staff, its students grade by grade with their households,
//! and (through `groups`) the grade's stamklasser and hold.

use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use time::Date;

use super::clock::Stamp;
use super::generate::Ledger;
use super::groups::{self, GradeCtx};
use super::names::school_name;
use super::people::{self, Family};
use super::writer::{Role, Writer};
use super::DemoError;

/// The GroupTemplates rows groups are made from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Templates {
    pub stamklasse: i64,
    pub hold: i64,
    /// No Teams template: these groups never become classes.
    pub sfo: i64,
}

/// What every school of the run shares.
pub(super) struct SchoolCtx {
    pub municipality: i64,
    pub year: i64,
    /// First day of the current school year; memberships begin then.
    pub begin: Date,
    pub templates: Templates,
}

/// Which school to build.
pub(super) struct SchoolSpec {
    pub index: usize,
    /// The 6-character institution number.
    pub number: String,
    pub students: usize,
    /// The school built before this one: teachers share it, movers came from it.
    pub previous: Option<i64>,
}

/// The staff groups draw their teachers from.
#[derive(Debug, Default)]
pub(super) struct Staff {
    /// Teachers that stay all year; every group's primary teacher is one of them.
    pub teachers: Vec<i64>,
    /// Teachers that leave this autumn (tombstoned), only ever extra teachers.
    pub leaving: Vec<i64>,
    /// Pædagoger: SFO groups and the youngest stamklasser.
    pub aides: Vec<i64>,
}

impl Staff {
    /// A primary teacher.
    pub(super) fn primary(&self, rng: &mut ChaCha8Rng) -> Option<i64> {
        self.teachers.choose(rng).copied()
    }

    /// Any teacher, leaving ones included.
    pub(super) fn any_teacher(&self, rng: &mut ChaCha8Rng) -> Option<i64> {
        let total = self.teachers.len() + self.leaving.len();
        if total == 0 {
            return None;
        }
        let n = rng.random_range(0..total);
        self.teachers
            .get(n)
            .or_else(|| self.leaving.get(n - self.teachers.len()))
            .copied()
    }
}

/// Builds one school and returns its institution Id.
pub(super) fn generate(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    ctx: &SchoolCtx,
    spec: &SchoolSpec,
    ledger: &mut Ledger,
) -> Result<i64, DemoError> {
    let name = school_name(spec.index);
    let stamp = Stamp::ordinary(rng);
    let school = w.institution(&spec.number, &name, Some(ctx.municipality), false, stamp)?;
    let staff = hire(w, rng, school, spec, ledger)?;
    // About one school in four has a 10. klasse.
    let top_grade: u8 = if rng.random_bool(0.25) { 10 } else { 9 };
    let grades = usize::from(top_grade) + 1;
    let mut families = Vec::new();
    for grade in 0..=top_grade {
        let size = spec.students * rng.random_range(85..=115) / (100 * grades);
        let mut intake = Intake {
            school,
            grade,
            previous: spec.previous,
            families: &mut families,
        };
        let pupils = intake.students(w, rng, size, ledger)?;
        let g = GradeCtx {
            school,
            grade,
            staff: &staff,
        };
        groups::grade(w, rng, ctx, &g, &pupils, ledger)?;
    }
    groups::discontinued_course(w, rng, ctx, school)?;
    Ok(school)
}

/// Teachers (one per 12 students), pædagoger (one per 80) and two leaders. A few teachers also
/// work at the previous school, so some users have two orgs.
fn hire(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    school: i64,
    spec: &SchoolSpec,
    ledger: &mut Ledger,
) -> Result<Staff, DemoError> {
    let mut staff = Staff::default();
    for n in 0..(spec.students / 12).max(4) {
        let stamp = Stamp::ordinary(rng);
        let id = people::staff(w, rng, Role::Teacher, school, stamp)?;
        if let Some(other) = spec.previous.filter(|_| rng.random_bool(0.03)) {
            w.affiliation(id, other, "ansat", false, stamp)?;
        }
        if n > 0 && rng.random_bool(0.02) {
            staff.leaving.push(id);
            ledger.staff.push(id);
        } else {
            staff.teachers.push(id);
        }
    }
    for _ in 0..(spec.students / 80).max(1) {
        let stamp = Stamp::ordinary(rng);
        staff
            .aides
            .push(people::staff(w, rng, Role::Aide, school, stamp)?);
    }
    for _ in 0..2 {
        let stamp = Stamp::ordinary(rng);
        people::staff(w, rng, Role::Leader, school, stamp)?;
    }
    Ok(staff)
}

/// Admits the students of one grade.
struct Intake<'f> {
    school: i64,
    grade: u8,
    previous: Option<i64>,
    /// Households at this school that younger or older siblings may join.
    families: &'f mut Vec<Family>,
}

impl Intake<'_> {
    fn students(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut ChaCha8Rng,
        count: usize,
        ledger: &mut Ledger,
    ) -> Result<Vec<i64>, DemoError> {
        let mut pupils = Vec::with_capacity(count);
        for _ in 0..count {
            pupils.push(self.student(w, rng, ledger)?);
        }
        Ok(pupils)
    }

    /// One student: a sibling in an existing household (15%) or a new one. About 2% leave the
    /// municipality (tombstoned with their household later); 2% moved here from the previous
    /// school and keep a deleted affiliation with it.
    fn student(
        &mut self,
        w: &mut Writer<'_>,
        rng: &mut ChaCha8Rng,
        ledger: &mut Ledger,
    ) -> Result<i64, DemoError> {
        let stamp = Stamp::ordinary(rng);
        let sibling = if rng.random_bool(0.15) {
            self.families.choose(rng).cloned()
        } else {
            None
        };
        let is_new = sibling.is_none();
        let family = match sibling {
            Some(f) => f,
            None => people::new_family(w, rng, self.school, stamp)?,
        };
        let id = people::student(w, rng, self.grade, family.name, stamp)?;
        w.affiliation(id, self.school, "elev", false, stamp)?;
        people::link_family(w, id, &family, stamp)?;
        if is_new && rng.random_bool(0.02) {
            ledger.students.push((id, family.guardians));
        } else {
            if let Some(previous) = self.previous.filter(|_| rng.random_bool(0.02)) {
                w.affiliation(id, previous, "elev", true, Stamp::recent(rng))?;
            }
            if is_new {
                self.families.push(family);
            }
        }
        Ok(id)
    }
}
