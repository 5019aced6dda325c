//! The groups of one grade at one school: stamklasser ("5.B"), hold for the grade's subjects
//! ("Matematik 5. årg.", "Tysk 8. årg.", "Idræt 7.AB"), SFO groups without Teams, and a course
//! per subject and grade that the groups belong to.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use time::{Date, Month};

use super::clock::{ymd, Stamp, CURRENT_YEAR_START};
use super::generate::Ledger;
use super::school::{SchoolCtx, Staff};
use super::writer::{NewCourse, NewGroup, NewMember, Writer};
use super::DemoError;

/// A subject with its code (used in course codes, classCode and subjectCodes).
type Subject = (&'static str, &'static str);

const DANSK: Subject = ("Dansk", "DA");
const MATEMATIK: Subject = ("Matematik", "MA");
const ENGELSK: Subject = ("Engelsk", "EN");
const IDRAET: Subject = ("Idræt", "ID");
const MUSIK: Subject = ("Musik", "MU");
const NATUR: Subject = ("Natur/teknologi", "NT");
const HISTORIE: Subject = ("Historie", "HI");
const HAANDVAERK: Subject = ("Håndværk og design", "HD");
const MAD: Subject = ("Madkundskab", "MK");
const GEOGRAFI: Subject = ("Geografi", "GE");
const BIOLOGI: Subject = ("Biologi", "BI");
const FYSIK: Subject = ("Fysik/kemi", "FK");
const SAMFUND: Subject = ("Samfundsfag", "SA");
const KRISTENDOM: Subject = ("Kristendomskundskab", "KR");
const BILLEDKUNST: Subject = ("Billedkunst", "BK");
const TYSK: Subject = ("Tysk", "TY");
const FRANSK: Subject = ("Fransk", "FR");

/// Stamklasser hold at most this many students.
const CLASS_SIZE: usize = 24;

/// Subjects taught as one hold for the whole grade.
fn grade_subjects(grade: u8) -> &'static [Subject] {
    match grade {
        0 => &[DANSK, MATEMATIK, IDRAET],
        1 | 2 => &[
            DANSK,
            MATEMATIK,
            ENGELSK,
            IDRAET,
            MUSIK,
            KRISTENDOM,
            BILLEDKUNST,
        ],
        3 => &[
            DANSK,
            MATEMATIK,
            ENGELSK,
            IDRAET,
            NATUR,
            KRISTENDOM,
            BILLEDKUNST,
        ],
        4 => &[
            DANSK,
            MATEMATIK,
            ENGELSK,
            NATUR,
            HAANDVAERK,
            MAD,
            KRISTENDOM,
            BILLEDKUNST,
        ],
        5 => &[
            DANSK,
            MATEMATIK,
            ENGELSK,
            NATUR,
            HISTORIE,
            KRISTENDOM,
            BILLEDKUNST,
        ],
        6 => &[DANSK, MATEMATIK, ENGELSK, NATUR, HISTORIE, KRISTENDOM],
        7 => &[
            DANSK, MATEMATIK, ENGELSK, GEOGRAFI, BIOLOGI, FYSIK, KRISTENDOM,
        ],
        8 => &[
            DANSK, MATEMATIK, ENGELSK, BIOLOGI, FYSIK, SAMFUND, KRISTENDOM,
        ],
        9 => &[DANSK, MATEMATIK, ENGELSK, FYSIK, SAMFUND, KRISTENDOM],
        _ => &[DANSK, MATEMATIK, ENGELSK, FYSIK],
    }
}

/// Where a grade's groups are built.
pub(super) struct GradeCtx<'s> {
    pub school: i64,
    pub grade: u8,
    pub staff: &'s Staff,
}

/// Builds every group of one grade.
pub(super) fn grade(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    ctx: &SchoolCtx,
    g: &GradeCtx<'_>,
    pupils: &[i64],
    ledger: &mut Ledger,
) -> Result<(), DemoError> {
    if pupils.is_empty() {
        return Ok(());
    }
    let mut b = Builder { w, rng, ctx, g };
    let (klasse_course, classes) = b.stamklasser(pupils)?;
    for subject in grade_subjects(g.grade) {
        let course = b.course(*subject)?;
        let name = format!("{} {}. årg.", subject.0, g.grade);
        b.hold(&name, &code(subject, g.grade, ""), course, pupils, ledger)?;
    }
    if (4..=9).contains(&g.grade) {
        b.idraet_pairs(&classes, ledger)?;
    }
    if (5..=9).contains(&g.grade) {
        b.languages(pupils, ledger)?;
    }
    if g.grade <= 3 {
        b.sfo(pupils, klasse_course)?;
    }
    Ok(())
}

/// One course per school that was discontinued: courses have a tombstone too.
pub(super) fn discontinued_course(
    w: &mut Writer<'_>,
    rng: &mut ChaCha8Rng,
    ctx: &SchoolCtx,
    school: i64,
) -> Result<(), DemoError> {
    w.course(&NewCourse {
        institution: school,
        year: ctx.year,
        title: "Valgfag Madværksted 9. årg.",
        code: "VM09",
        grade: Some(9),
        subject: Some(("Valgfag", "VF")),
        deleted: true,
        stamp: Stamp::recent(rng),
    })?;
    Ok(())
}

fn code(subject: &Subject, grade: u8, suffix: &str) -> String {
    format!("{}{grade:02}{suffix}", subject.1)
}

/// A stamklasse: its group, letter and members.
struct Class {
    group: i64,
    letter: char,
    pupils: Vec<i64>,
}

struct Builder<'a, 'w, 'c> {
    w: &'a mut Writer<'w>,
    rng: &'a mut ChaCha8Rng,
    ctx: &'a SchoolCtx,
    g: &'a GradeCtx<'c>,
}

impl Builder<'_, '_, '_> {
    fn course(&mut self, subject: Subject) -> Result<i64, DemoError> {
        let title = format!("{} {}. årg.", subject.0, self.g.grade);
        self.w.course(&NewCourse {
            institution: self.g.school,
            year: self.ctx.year,
            title: &title,
            code: &code(&subject, self.g.grade, ""),
            grade: Some(self.g.grade),
            subject: Some(subject),
            deleted: false,
            stamp: Stamp::ordinary(self.rng),
        })
    }

    /// Splits the grade into classes of at most `CLASS_SIZE`, A, B, C… under one 'Klasse N. årg.'
    /// course. A few students moved between classes this autumn and keep an ended membership in
    /// their old class.
    fn stamklasser(&mut self, pupils: &[i64]) -> Result<(i64, Vec<Class>), DemoError> {
        let grade = self.g.grade;
        let course = self.w.course(&NewCourse {
            institution: self.g.school,
            year: self.ctx.year,
            title: &format!("Klasse {grade}. årg."),
            code: &format!("KL{grade:02}"),
            grade: Some(grade),
            subject: None,
            deleted: false,
            stamp: Stamp::ordinary(self.rng),
        })?;
        let count = pupils.len().div_ceil(CLASS_SIZE);
        let mut classes = Vec::with_capacity(count);
        for (n, letter) in ('A'..='Z').take(count).enumerate() {
            let members = &pupils[n * pupils.len() / count..(n + 1) * pupils.len() / count];
            let name = format!("{grade}.{letter}");
            let group = self.group(&name, &format!("{grade}{letter}"), course, true)?;
            self.teachers(group, grade <= 2)?;
            for pupil in members {
                self.student(group, *pupil, false)?;
            }
            let pupils = members.to_vec();
            classes.push(Class {
                group,
                letter,
                pupils,
            });
        }
        if classes.len() >= 2 {
            self.movers(&classes)?;
        }
        Ok((course, classes))
    }

    /// Students of each class who came from the next class keep their ended membership there.
    fn movers(&mut self, classes: &[Class]) -> Result<(), DemoError> {
        for (n, class) in classes.iter().enumerate() {
            let old_group = classes[(n + 1) % classes.len()].group;
            for pupil in &class.pupils {
                if self.rng.random_bool(0.02) {
                    self.ended(old_group, *pupil)?;
                }
            }
        }
        Ok(())
    }

    /// "Idræt 7.AB": one hold per pair of classes.
    fn idraet_pairs(&mut self, classes: &[Class], ledger: &mut Ledger) -> Result<(), DemoError> {
        let course = self.course(IDRAET)?;
        for pair in classes.chunks(2) {
            let letters: String = pair.iter().map(|c| c.letter).collect();
            let name = format!("Idræt {}.{letters}", self.g.grade);
            let members: Vec<i64> = pair.iter().flat_map(|c| c.pupils.iter().copied()).collect();
            let code = code(&IDRAET, self.g.grade, &letters);
            self.hold(&name, &code, course, &members, ledger)?;
        }
        Ok(())
    }

    /// Second foreign language: each student takes Tysk or Fransk.
    fn languages(&mut self, pupils: &[i64], ledger: &mut Ledger) -> Result<(), DemoError> {
        let (mut tysk, mut fransk) = (Vec::new(), Vec::new());
        for pupil in pupils {
            if self.rng.random_bool(0.6) {
                tysk.push(*pupil);
            } else {
                fransk.push(*pupil);
            }
        }
        for (subject, members) in [(TYSK, tysk), (FRANSK, fransk)] {
            if members.is_empty() {
                continue;
            }
            let course = self.course(subject)?;
            let name = format!("{} {}. årg.", subject.0, self.g.grade);
            let code = code(&subject, self.g.grade, "");
            self.hold(&name, &code, course, &members, ledger)?;
        }
        Ok(())
    }

    /// SFO (after-school care) for grades 0–3: a template without Teams, run by pædagoger.
    fn sfo(&mut self, pupils: &[i64], course: i64) -> Result<(), DemoError> {
        let grade = self.g.grade;
        let id = self.w.group(&NewGroup {
            institution: self.g.school,
            year: self.ctx.year,
            template: self.ctx.templates.sfo,
            course,
            name: &format!("SFO {grade}. årg."),
            code: &format!("SFO{grade:02}"),
            grade: Some(grade),
            location: Some("SFO-huset"),
            stamp: Stamp::ordinary(self.rng),
        })?;
        if let Some(aide) = pick(self.rng, &self.g.staff.aides) {
            self.teacher(id, aide, true)?;
        }
        for pupil in pupils {
            self.student(id, *pupil, false)?;
        }
        Ok(())
    }

    /// A Teams-enabled hold; about 2% are cancelled (tombstoned later) and about 2% of the
    /// students have left theirs (ended membership).
    fn hold(
        &mut self,
        name: &str,
        code: &str,
        course: i64,
        members: &[i64],
        ledger: &mut Ledger,
    ) -> Result<(), DemoError> {
        let id = self.group(name, code, course, false)?;
        if self.rng.random_bool(0.02) {
            ledger.groups.push(id);
        }
        self.teachers(id, false)?;
        for pupil in members {
            let left = self.rng.random_bool(0.02);
            self.student(id, *pupil, left)?;
        }
        Ok(())
    }

    fn group(
        &mut self,
        name: &str,
        code: &str,
        course: i64,
        homeroom: bool,
    ) -> Result<i64, DemoError> {
        let templates = self.ctx.templates;
        let location = homeroom.then(|| format!("Lokale {}", self.rng.random_range(1..=40)));
        self.w.group(&NewGroup {
            institution: self.g.school,
            year: self.ctx.year,
            template: if homeroom {
                templates.stamklasse
            } else {
                templates.hold
            },
            course,
            name,
            code,
            grade: Some(self.g.grade),
            location: location.as_deref(),
            stamp: Stamp::ordinary(self.rng),
        })
    }

    /// One to three teachers: a primary one who stays all year, then extras (possibly leaving
    /// ones, or a pædagog in the youngest classes).
    fn teachers(&mut self, group: i64, with_aide: bool) -> Result<(), DemoError> {
        let staff = self.g.staff;
        let Some(primary) = staff.primary(self.rng) else {
            return Ok(());
        };
        self.teacher(group, primary, true)?;
        let mut chosen = vec![primary];
        let extra = self.rng.random_range(0..=2);
        for n in 0..extra {
            let candidate = if with_aide && n == 0 {
                pick(self.rng, &staff.aides)
            } else {
                staff.any_teacher(self.rng)
            };
            if let Some(id) = candidate.filter(|id| !chosen.contains(id)) {
                self.teacher(group, id, false)?;
                chosen.push(id);
            }
        }
        Ok(())
    }

    fn teacher(&mut self, group: i64, person: i64, primary: bool) -> Result<(), DemoError> {
        self.w.member(&NewMember {
            group,
            person,
            teacher: true,
            primary,
            begin: self.ctx.begin,
            end: None,
            deleted: false,
            stamp: Stamp::ordinary(self.rng),
        })?;
        Ok(())
    }

    /// A student membership; an ended one has a past end date, is deleted and recently stamped.
    fn student(&mut self, group: i64, person: i64, ended: bool) -> Result<(), DemoError> {
        if ended {
            return self.ended(group, person);
        }
        self.w.member(&NewMember {
            group,
            person,
            teacher: false,
            primary: false,
            begin: self.ctx.begin,
            end: None,
            deleted: false,
            stamp: Stamp::ordinary(self.rng),
        })?;
        Ok(())
    }

    fn ended(&mut self, group: i64, person: i64) -> Result<(), DemoError> {
        let stamp = Stamp::recent(self.rng);
        self.w.member(&NewMember {
            group,
            person,
            teacher: false,
            primary: false,
            begin: self.ctx.begin,
            end: Some(end_date(self.rng)?),
            deleted: true,
            stamp,
        })?;
        Ok(())
    }
}

/// A day between mid-August and the end of October of the current school year.
fn end_date(rng: &mut ChaCha8Rng) -> Result<Date, DemoError> {
    let start = ymd(CURRENT_YEAR_START, Month::August, 15)?;
    Ok(start + time::Duration::days(rng.random_range(0..75)))
}

fn pick(rng: &mut ChaCha8Rng, ids: &[i64]) -> Option<i64> {
    use rand::seq::IndexedRandom;
    ids.choose(rng).copied()
}
